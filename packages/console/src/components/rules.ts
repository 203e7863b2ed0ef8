/**
 * Form rules that check what the API checks, so people see a mistake before sending: the
 * password policy (lib/passwords.ts), the unified social credit code (GB 32100, the same code
 * in @tracemark/core) and the GTIN check digit (@tracemark/codes).
 */
import type { Rule } from 'antd/es/form/index.js';
import { isValidGtin } from '@tracemark/codes';
import { validateUscc } from '@tracemark/core';
import type { Translate } from '../i18n/index.js';

/** At least 10 characters with letters and digits. */
export function passwordRules(t: Translate): Rule[] {
  return [
    { required: true, message: t('rules.required') },
    {
      validator: (_r, v: string | undefined) =>
        v === undefined || v === '' || (v.length >= 10 && /[A-Za-z]/.test(v) && /\d/.test(v))
          ? Promise.resolve()
          : Promise.reject(new Error(t('rules.passwordWeak'))),
    },
  ];
}

/** An 18-character unified social credit code with valid check characters. */
export function usccRules(t: Translate): Rule[] {
  return [
    { required: true, message: t('rules.required') },
    {
      validator: (_r, v: string | undefined) =>
        v === undefined || v === '' || validateUscc(v).ok
          ? Promise.resolve()
          : Promise.reject(new Error(t('rules.usccInvalid'))),
    },
  ];
}

/** GTIN-8, -12, -13 or -14 with a valid GS1 check digit, or empty. */
export function gtinRules(t: Translate): Rule[] {
  return [
    {
      validator: (_r, v: string | undefined) =>
        v === undefined || v === '' || (/^\d{8}$|^\d{12,14}$/.test(v) && isValidGtin(v))
          ? Promise.resolve()
          : Promise.reject(new Error(t('rules.gtinInvalid'))),
    },
  ];
}

/** Required, with a maximum length. */
export function requiredMax(t: Translate, max: number, min = 1): Rule[] {
  return [
    { required: true, message: t('rules.required') },
    { min, max, message: t('rules.length', { min, max }) },
  ];
}

/** Optional, with a maximum length. */
export function optionalMax(t: Translate, max: number): Rule[] {
  return [{ max, message: t('rules.maxLength', { max }) }];
}

/** A phone number as the API accepts it. */
export function phoneRules(t: Translate, required = true): Rule[] {
  return [
    ...(required ? [{ required: true, message: t('rules.required') }] : []),
    { pattern: /^[0-9+() -]{5,30}$/, message: t('rules.phone') },
  ];
}
