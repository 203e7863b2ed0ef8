/** A consumer query's verdict in words and colour, with the warning reasons on hover. */
import type { ReactNode } from 'react';
import { Tag, Tooltip } from 'antd';
import {
  CheckCircleOutlined,
  CloseCircleOutlined,
  ExclamationCircleOutlined,
  LockOutlined,
  StopOutlined,
} from '@ant-design/icons';
import { useI18n, type MessageKey } from '../../i18n/index.js';

/** A verdict as the API names it. */
export type Verdict =
  | 'genuine_first'
  | 'genuine_repeat'
  | 'warning'
  | 'pin_required'
  | 'pin_wrong'
  | 'not_activated'
  | 'invalid'
  | 'voided'
  | 'recalled';

/** Every verdict, in the order the filter lists them. */
export const verdicts: readonly Verdict[] = [
  'genuine_first',
  'genuine_repeat',
  'warning',
  'not_activated',
  'pin_required',
  'pin_wrong',
  'invalid',
  'voided',
  'recalled',
];

// Tag colours whose text keeps 4.5:1 on its tint (cyan, orange and volcano do not).
const looks: Readonly<Partial<Record<string, { color: string; icon: ReactNode }>>> = {
  genuine_first: { color: 'success', icon: <CheckCircleOutlined /> },
  genuine_repeat: { color: 'blue', icon: <CheckCircleOutlined /> },
  warning: { color: 'warning', icon: <ExclamationCircleOutlined /> },
  pin_required: { color: 'default', icon: <LockOutlined /> },
  pin_wrong: { color: 'error', icon: <CloseCircleOutlined /> },
  not_activated: { color: 'purple', icon: <ExclamationCircleOutlined /> },
  invalid: { color: 'error', icon: <CloseCircleOutlined /> },
  voided: { color: 'error', icon: <StopOutlined /> },
  recalled: { color: 'magenta', icon: <StopOutlined /> },
};

/** The tag colour of a verdict (the dashboard's own tags use it too). */
export function verdictColour(verdict: string): string {
  return looks[verdict]?.color ?? 'default';
}

/** The words of a verdict. */
export function verdictLabel(t: (key: MessageKey) => string, verdict: string): string {
  return t(`scanLog.verdict_${verdict}` as MessageKey);
}

/** A verdict tag; `warnings` (query_limit, distant_regions) show on hover. */
export function VerdictTag({
  verdict,
  warnings = [],
}: {
  readonly verdict: string;
  readonly warnings?: readonly string[];
}): ReactNode {
  const { t } = useI18n();
  const tag = (
    <Tag color={verdictColour(verdict)} icon={looks[verdict]?.icon} style={{ marginInlineEnd: 0 }}>
      {verdictLabel(t, verdict)}
    </Tag>
  );
  if (warnings.length === 0) return tag;
  return (
    <Tooltip title={warnings.map((w) => t(`scanLog.warning_${w}` as MessageKey)).join('；')}>{tag}</Tooltip>
  );
}
