import type { ReactNode } from 'react';
import { Flex, Typography } from 'antd';

/** A screen's title row: the title, an optional line under it, and actions on the right. */
export function Page({
  title,
  subtitle,
  extra,
  children,
}: {
  readonly title: ReactNode;
  readonly subtitle?: ReactNode;
  readonly extra?: ReactNode;
  readonly children: ReactNode;
}): ReactNode {
  return (
    <div style={{ maxWidth: 1400 }}>
      <Flex justify="space-between" align="flex-start" gap={16} wrap style={{ marginBottom: 16 }}>
        <div>
          <Typography.Title level={3} style={{ margin: 0 }}>
            {title}
          </Typography.Title>
          {subtitle === undefined ? null : <Typography.Text type="secondary">{subtitle}</Typography.Text>}
        </div>
        {extra}
      </Flex>
      {children}
    </div>
  );
}
