import type { ReactNode } from 'react';
import { Tag } from 'antd';
import { useI18n, type MessageKey } from '../i18n/index.js';

const colours: Readonly<Record<string, string>> = {
  draft: 'default',
  pending_review: 'processing',
  pending: 'processing',
  approved: 'success',
  verified: 'success',
  active: 'success',
  rejected: 'error',
  suspended: 'warning',
  archived: 'default',
  disabled: 'default',
};

/** A status of an enterprise, document, product, batch or user, in words and colour. */
export function StatusTag({ status }: { readonly status: string }): ReactNode {
  const { t } = useI18n();
  return <Tag color={colours[status] ?? 'default'}>{t(`status.${status}` as MessageKey)}</Tag>;
}
