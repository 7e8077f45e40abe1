export { AppConfig, ConfigError, loadConfig, SECRET_KEYS } from './app-config.js';
export { ConfigModule } from './config.module.js';
