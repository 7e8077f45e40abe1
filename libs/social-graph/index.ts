export { SocialGraphModule } from './social-graph.module.js';
export { SocialGraphService } from './social-graph.service.js';
