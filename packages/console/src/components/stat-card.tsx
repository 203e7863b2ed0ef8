/**
 * One figure of a dashboard: a label, a big number (with an optional second one, "12 / 1,000"),
 * an icon in a tinted square, and a line under it; with `to`, the card opens that screen.
 */
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { Card, Flex, Skeleton, Typography, theme } from 'antd';

/** Formats a count with thousands separators in the console's language. */
export function formatCount(n: number, language: string): string {
  return new Intl.NumberFormat(language).format(n);
}

/** A figure card. */
export function StatCard({
  label,
  value,
  of,
  icon,
  tint,
  footer,
  to,
  loading = false,
  testId,
}: {
  readonly label: ReactNode;
  readonly value: ReactNode;
  /** A total the value is a part of, shown smaller after a slash. */
  readonly of?: ReactNode;
  readonly icon: ReactNode;
  /** The icon's colour (its background is the same, faint). */
  readonly tint: string;
  readonly footer?: ReactNode;
  readonly to?: string;
  readonly loading?: boolean;
  readonly testId?: string;
}): ReactNode {
  const { token } = theme.useToken();
  const body = (
    <Card
      size="small"
      hoverable={to !== undefined}
      style={{ height: '100%' }}
      styles={{ body: { padding: '16px 20px' } }}
      data-testid={testId}
    >
      <Flex justify="space-between" align="flex-start" gap={12}>
        <div style={{ minWidth: 0 }}>
          <Typography.Text type="secondary" style={{ fontSize: 13 }}>
            {label}
          </Typography.Text>
          {loading ? (
            <Skeleton.Input active size="small" style={{ display: 'block', marginTop: 8 }} />
          ) : (
            <div
              style={{
                fontSize: 28,
                lineHeight: '40px',
                fontWeight: 600,
                color: token.colorText,
                fontVariantNumeric: 'tabular-nums',
                whiteSpace: 'nowrap',
              }}
            >
              {value}
              {of === undefined ? null : (
                <span style={{ fontSize: 16, fontWeight: 400, color: token.colorTextSecondary }}>
                  {' '}
                  / {of}
                </span>
              )}
            </div>
          )}
        </div>
        <span
          style={{
            flex: 'none',
            width: 40,
            height: 40,
            borderRadius: 8,
            display: 'grid',
            placeItems: 'center',
            fontSize: 20,
            color: tint,
            background: `${tint}14`,
          }}
        >
          {icon}
        </span>
      </Flex>
      <div
        style={{
          marginTop: 8,
          paddingTop: 8,
          borderTop: `1px solid ${token.colorBorderSecondary}`,
          fontSize: 12,
          color: token.colorTextSecondary,
          whiteSpace: 'nowrap',
          overflow: 'hidden',
          textOverflow: 'ellipsis',
        }}
      >
        {footer ?? '\u00a0'}
      </div>
    </Card>
  );
  return to === undefined ? (
    body
  ) : (
    <Link to={to} style={{ display: 'block', height: '100%' }}>
      {body}
    </Link>
  );
}
