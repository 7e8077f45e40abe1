/** The network's charter, moderation of reported content, and announcements that must be acknowledged. */
export { GovernanceModule } from './governance.module.js';
export { CharterService } from './charter.service.js';
export { ModerationService } from './moderation.service.js';
export { AcknowledgementsService } from './acknowledgements.service.js';
export {
  CharterObject,
  ReportObject,
  ReportConnection,
  ReportStatus,
  ReportReason,
  ReportDecision,
} from './graphql/governance.objects.js';
