import { useState, type ReactNode } from 'react';
import { Alert, Form, Input, Modal } from 'antd';
import { applyFormError } from '../../api/errors.js';
import { useI18n } from '../../i18n/index.js';

/** Asks for a reviewer's reason (2–500 characters, as the API wants) and runs the action with it. */
export function ReasonModal({
  open,
  title,
  okText,
  onClose,
  onSubmit,
}: {
  readonly open: boolean;
  readonly title: string;
  readonly okText: string;
  readonly onClose: () => void;
  readonly onSubmit: (reason: string) => Promise<void>;
}): ReactNode {
  const { t } = useI18n();
  const [form] = Form.useForm<{ reason: string }>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  return (
    <Modal
      open={open}
      title={title}
      okText={okText}
      okButtonProps={{ danger: true, loading: busy }}
      onCancel={onClose}
      onOk={() => form.submit()}
      destroyOnHidden
    >
      <Form
        form={form}
        layout="vertical"
        preserve={false}
        onFinish={({ reason }) => {
          setBusy(true);
          setError(undefined);
          onSubmit(reason.trim())
            .then(() => form.resetFields())
            .catch((e: unknown) => setError(applyFormError(form, t, e)))
            .finally(() => setBusy(false));
        }}
      >
        <Form.Item
          name="reason"
          label={t('review.reason')}
          rules={[
            { required: true, whitespace: true, message: t('review.reasonRequired') },
            { min: 2, max: 500, message: t('rules.length', { min: 2, max: 500 }) },
          ]}
        >
          <Input.TextArea rows={4} placeholder={t('review.reasonHelp')} />
        </Form.Item>
        {error === undefined ? null : <Alert type="error" showIcon title={error} />}
      </Form>
    </Modal>
  );
}
