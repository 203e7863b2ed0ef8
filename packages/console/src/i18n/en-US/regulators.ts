import type { Messages } from '../index.js';

export const regulators: Messages['regulators'] = {
  title: 'Regulators',
  subtitle: 'Accounts of market supervision and other authorities; each sees only its jurisdiction',
  create: 'New regulator',
  created: 'Regulator created; give them the initial password (they change it at first login)',
  search: 'Search name or username',
  empty: 'No regulator accounts yet. Press “New regulator” and choose the jurisdiction.',
  displayName: 'Authority / name',
  displayNameHelp: 'e.g. Pudong New Area Market Supervision Bureau',
  username: 'Username',
  password: 'Initial password',
  passwordHelp: 'To be changed at first login',
  jurisdiction: 'Jurisdiction',
  jurisdictionHelp: 'GB/T 2260 division: a province, city or county',
  lastLogin: 'Last login',
  never: 'Never',
  disable: 'Disable',
  enable: 'Enable',
  disableConfirm: 'A disabled account cannot log in. Disable it?',
  enableConfirm: 'Enable this account again?',
};
