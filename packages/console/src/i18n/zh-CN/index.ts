/** Simplified Chinese: the default language and the source of every message key. */
import { documentKinds, errors, menu, roles, rules, shell, status, common } from './common.js';
import { login, password } from './login.js';
import { register } from './register.js';
import { onboarding } from './onboarding.js';
import { products } from './products.js';
import { batches } from './batches.js';
import { review, reviews } from './reviews.js';
import { enterprises } from './enterprises.js';
import { regulators } from './regulators.js';
import { codes } from './codes.js';
import { packing } from './packing.js';
import { bizStep, btt, disposition, eventAction, eventType, linkKind, nodeKind, stage, unit } from './cbv.js';
import { trace } from './trace.js';
import { events } from './events.js';
import { eventShares } from './event-shares.js';
import { traceActions } from './trace-actions.js';
import { stageTemplates } from './stage-templates.js';
import { scanSettings } from './scan-settings.js';
import { scanLog } from './scan-log.js';
import { counterfeitReports } from './counterfeit-reports.js';
import { dashboard } from './dashboard.js';
import { supervision } from './supervision.js';
import { platformAlerts } from './platform-alerts.js';
import { apiKeys } from './api-keys.js';
import { webhooks } from './webhooks.js';
import { users } from './users.js';
import { auditAction, auditLog, auditTarget } from './audit-log.js';

export default {
  common,
  menu,
  shell,
  roles,
  status,
  documentKinds,
  rules,
  errors,
  login,
  password,
  register,
  onboarding,
  products,
  batches,
  reviews,
  review,
  enterprises,
  regulators,
  codes,
  packing,
  bizStep,
  disposition,
  eventType,
  eventAction,
  stage,
  btt,
  nodeKind,
  linkKind,
  unit,
  trace,
  events,
  eventShares,
  traceActions,
  stageTemplates,
  scanSettings,
  scanLog,
  counterfeitReports,
  dashboard,
  supervision,
  platformAlerts,
  apiKeys,
  webhooks,
  users,
  auditLog,
  auditAction,
  auditTarget,
};
