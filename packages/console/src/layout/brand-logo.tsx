/**
 * Tracemark's mark and wordmark for the dark side menu: a red shield carrying a trace (three
 * linked points that read as a check), and "Tracemark 溯源" beside it. The wordmark is the
 * brand's name, the same in every language; the product name in words goes to screen readers.
 */
import type { ReactNode } from 'react';
import { useI18n } from '../i18n/index.js';

/** The brand red and teal (the same as the labels and the scan page). */
export const brandRed = '#D41819';
export const brandTeal = '#316464';

/** The mark alone, `size` pixels square. */
export function BrandMark({ size = 28 }: { readonly size?: number }): ReactNode {
  return (
    <svg width={size} height={size} viewBox="0 0 32 32" aria-hidden="true" focusable="false">
      <path d="M16 1.5 28.5 6v9.2c0 7.6-5.3 13.2-12.5 15.5C8.8 28.4 3.5 22.8 3.5 15.2V6Z" fill={brandRed} />
      <path d="M16 1.5 28.5 6v9.2c0 7.6-5.3 13.2-12.5 15.5Z" fill="#000" opacity="0.12" />
      <path
        d="M9.5 16.2 14 20.6 22.6 10.8"
        fill="none"
        stroke="#fff"
        strokeWidth="2.4"
        strokeLinecap="round"
        strokeLinejoin="round"
      />
      <circle cx="9.5" cy="16.2" r="2.3" fill="#fff" />
      <circle cx="14" cy="20.6" r="2.3" fill="#fff" />
      <circle cx="22.6" cy="10.8" r="2.6" fill={brandTeal} stroke="#fff" strokeWidth="1.6" />
    </svg>
  );
}

/** The mark with the wordmark (the mark only when `collapsed`). */
export function BrandLogo({ collapsed = false }: { readonly collapsed?: boolean }): ReactNode {
  const { t } = useI18n();
  return (
    <span
      role="img"
      aria-label={t('shell.product')}
      title={t('shell.product')}
      style={{ display: 'inline-flex', alignItems: 'center', gap: 10, whiteSpace: 'nowrap' }}
    >
      <BrandMark />
      {collapsed ? null : (
        <span aria-hidden="true" style={{ display: 'inline-flex', alignItems: 'center', gap: 6 }}>
          <span style={{ color: '#fff', fontSize: 17, fontWeight: 700, letterSpacing: 0.2 }}>Tracemark</span>
          <span
            style={{
              background: brandTeal,
              color: '#fff',
              fontSize: 12,
              lineHeight: '18px',
              padding: '0 6px',
              borderRadius: 4,
              fontWeight: 600,
              letterSpacing: 1,
            }}
          >
            溯源
          </span>
        </span>
      )}
    </span>
  );
}
