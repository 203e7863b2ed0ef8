import type { Messages } from '../index.js';

export const apiKeys: Messages['apiKeys'] = {
  title: 'API keys',
  subtitle: 'Credentials for ERP, MES, WMS and other systems calling the API (EPCIS capture included)',
  create: 'New key',
  name: 'Name',
  nameHelp: 'What the key is for, to recognise it later, e.g. “MES line 3”',
  role: 'Permissions',
  prefix: 'Key prefix',
  createdBy: 'Created by',
  createdAt: 'Created',
  lastUsedAt: 'Last used',
  neverUsed: 'Never used',
  revokedAt: 'Revoked',
  active: 'Active',
  revoked: 'Revoked',
  showRevoked: 'Show revoked keys',
  roleOperator: 'Read & write',
  roleOperatorHelp:
    'As an enterprise operator: products and batches, codes and activation, scans, EPCIS capture and queries',
  roleDistributor: 'Read + capture',
  roleDistributorHelp:
    'As a distributor account: read products, capture and query EPCIS events (shipping, receiving …)',
  revoke: 'Revoke',
  revokeConfirm: 'Systems using this key lose access at once, and it cannot be undone. Revoke “{name}”?',
  revokedDone: 'Key revoked',
  createdTitle: 'Key created: {name}',
  createdWarning:
    'This is the only time the full key is shown. Copy it now and keep it safe; once closed it cannot be shown again — if lost, revoke it and make a new one.',
  copied: 'Copied',
  copy: 'Copy key',
  usage: 'Send it in the request header:',
  savedIt: 'I have saved it',
  empty: 'No API keys yet. Press “New key” to make one for the system you connect.',
  emptyFiltered: 'No active keys. Tick “Show revoked keys” to see old ones, or make a new one.',
  security:
    'A key is as good as a password: never put it in web pages or chats; one key per system, revoked when the link ends.',
};
