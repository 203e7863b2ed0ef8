import type { Messages } from '../index.js';

export const platformAlerts: Messages['platformAlerts'] = {
  title: 'Platform alerts',
  subtitle: 'Unusual lookups found automatically: suspected code guessing, surges of invalid lookups',
  open: 'Open',
  acknowledged: 'Acknowledged',
  all: 'All',
  kind: 'Alert',
  subject: 'Source',
  figures: 'What raised it',
  count: 'Raised',
  firstAt: 'First seen',
  lastAt: 'Last seen',
  status: 'Status',
  kind_invalid_lookups_network: 'Suspected code guessing',
  kind_invalid_lookups_network_text:
    'One network looked up many invalid or never-issued codes in a short time and was blocked automatically.',
  kind_invalid_lookups_rate: 'Surge of invalid lookups',
  kind_invalid_lookups_rate_text:
    'Invalid lookups per minute across the platform rose far above the average of the last hour.',
  platform: 'Whole platform',
  networkFigures: '{count} invalid lookups in {seconds} s',
  rateFigures: '{count} in the last minute, {average} a minute on average over the last hour',
  times: '{count}×',
  acknowledge: 'Acknowledge',
  acknowledgeConfirm: 'Mark this alert as handled?',
  acknowledgeText: 'The alert closes; if the same problem is seen again, a new alert opens.',
  acknowledgedDone: 'Alert acknowledged',
  acknowledgedBy: 'Acknowledged by {name} at {time}',
  emptyOpen: 'No open alerts',
  emptyOpenText: 'All is well. Suspected code guessing or surges of invalid lookups will show here.',
  empty: 'No alerts',
};
