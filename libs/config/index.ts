export {
  AppConfig,
  ConfigError,
  DEFAULT_UPLOAD_TYPES,
  loadConfig,
  SECRET_KEYS,
} from './app-config.js';
export { ConfigModule } from './config.module.js';
