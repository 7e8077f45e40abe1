export { NetworkModule } from './network.module.js';
export { NetworkService } from './network.service.js';
export {
  ErasedPosts,
  RegistrationMode,
  QuietHoursObject,
  QuietHoursInput,
} from './graphql/network.objects.js';
export type { QuietHoursValue } from './entities/network-settings.entity.js';
