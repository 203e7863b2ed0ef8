import type { Messages } from '../index.js';

export const login: Messages['login'] = {
  title: 'Log in',
  username: 'Username',
  usernameRequired: 'Enter your username',
  password: 'Password',
  passwordRequired: 'Enter your password',
  submit: 'Log in',
  noAccount: 'No account for your enterprise yet?',
  register: 'Apply to join',
};

export const password: Messages['password'] = {
  title: 'Change password',
  forced: 'Set a new password before you go on (first login, or the password was reset).',
  current: 'Current password',
  new: 'New password',
  confirm: 'New password again',
  submit: 'Change password',
  changed: 'Password changed',
};
