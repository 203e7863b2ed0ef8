import type { Messages } from '../index.js';

export const register: Messages['register'] = {
  title: 'Apply to join',
  intro:
    'Enter your enterprise and create its administrator. You can then upload your qualification documents; the platform reviews them before you start.',
  enterprise: 'Enterprise',
  name: 'Enterprise name',
  uscc: 'Unified social credit code',
  usccHelp: 'The 18-character code on the business licence (GB 32100)',
  legalRepresentative: 'Legal representative',
  region: 'Region',
  address: 'Address',
  contactName: 'Contact person',
  contactPhone: 'Contact phone',
  contactEmail: 'Email',
  admin: 'Administrator account',
  username: 'Username',
  usernameHelp: '3–64 letters, digits or . _ -',
  displayName: 'Name',
  password: 'Password',
  confirm: 'Password again',
  submit: 'Submit application',
  haveAccount: 'Have an account?',
  login: 'Log in',
};
