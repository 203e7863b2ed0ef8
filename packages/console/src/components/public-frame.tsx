import type { ReactNode } from 'react';
import { Card, Flex, Typography } from 'antd';
import { useI18n } from '../i18n/index.js';
import { LanguageSwitch } from '../layout/language-switch.js';
import { brandRed } from '../layout/brand-logo.js';

/** The frame of the screens before login: brand, language switch, a card. */
export function PublicFrame({
  width = 400,
  children,
}: {
  readonly width?: number;
  readonly children: ReactNode;
}): ReactNode {
  const { t } = useI18n();
  return (
    <Flex vertical align="center" style={{ minHeight: '100vh', background: '#f3f6f6', padding: '48px 16px' }}>
      <Flex justify="flex-end" style={{ width: '100%', maxWidth: width }}>
        <LanguageSwitch />
      </Flex>
      <Flex align="center" gap={12} style={{ margin: '24px 0' }}>
        <span
          style={{ width: 36, height: 36, borderRadius: 8, background: brandRed, display: 'inline-block' }}
        />
        <div>
          <Typography.Title level={3} style={{ margin: 0 }}>
            {t('shell.product')}
          </Typography.Title>
          <Typography.Text type="secondary">{t('shell.slogan')}</Typography.Text>
        </div>
      </Flex>
      <Card style={{ width: '100%', maxWidth: width }}>{children}</Card>
    </Flex>
  );
}
