/**
 * A secret shown once (an API key, a webhook's signing secret): a warning that it cannot be
 * shown again, the secret in a monospace box with a copy button, and what to do with it.
 */
import { useState, type ReactNode } from 'react';
import { Alert, App, Button, Flex, Input, Modal, Space, Typography } from 'antd';
import { CheckOutlined, CopyOutlined } from '@ant-design/icons';

/** The modal that reveals `secret`; `onClose` after the person confirms they saved it. */
export function SecretOnce({
  open,
  title,
  warning,
  label,
  secret,
  copyText,
  copiedText,
  closeText,
  children,
  onClose,
}: {
  readonly open: boolean;
  readonly title: ReactNode;
  readonly warning: ReactNode;
  readonly label: ReactNode;
  readonly secret: string;
  readonly copyText: string;
  readonly copiedText: string;
  readonly closeText: string;
  readonly children?: ReactNode;
  readonly onClose: () => void;
}): ReactNode {
  const { message } = App.useApp();
  const [copied, setCopied] = useState(false);
  const copy = async (): Promise<void> => {
    try {
      await navigator.clipboard.writeText(secret);
    } catch {
      // Without clipboard access (http, permissions) the box stays selectable.
    }
    setCopied(true);
    void message.success(copiedText);
  };
  return (
    <Modal
      open={open}
      title={title}
      closable={false}
      mask={{ closable: false }}
      keyboard={false}
      width={640}
      destroyOnHidden
      afterClose={() => setCopied(false)}
      footer={
        <Button type="primary" onClick={onClose}>
          {closeText}
        </Button>
      }
    >
      <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
        <Alert type="warning" showIcon title={warning} />
        <div>
          <Typography.Text strong>{label}</Typography.Text>
          <Flex gap={8} style={{ marginTop: 8 }}>
            <Input
              readOnly
              value={secret}
              data-testid="secret-once"
              style={{ fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace' }}
              onFocus={(e) => e.currentTarget.select()}
            />
            <Button icon={copied ? <CheckOutlined /> : <CopyOutlined />} onClick={() => void copy()}>
              {copyText}
            </Button>
          </Flex>
        </div>
        {children}
      </Space>
    </Modal>
  );
}
