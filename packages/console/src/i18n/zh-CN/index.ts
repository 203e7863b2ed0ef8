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
};
