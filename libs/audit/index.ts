export { AuditModule } from './audit.module.js';
export {
  AuditService,
  type AuditRecord,
  type AuditEvent,
  type AuditFilter,
  type ChainCheck,
  type Queryable,
} from './audit.service.js';
export { csvLine } from './csv.js';
