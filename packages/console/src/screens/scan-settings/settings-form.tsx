/**
 * The fields of the scan-page settings: the verification box, the query limit, the warning and
 * prompt texts, the page image and the links. For a product, each field can follow the
 * enterprise's setting ("沿用企业默认"), shown greyed with the enterprise's value.
 */
import type { ReactNode } from 'react';
import {
  App,
  Button,
  Card,
  Checkbox,
  Empty,
  Flex,
  Form,
  Image,
  Input,
  InputNumber,
  Radio,
  Select,
  Space,
  Switch,
  theme,
  Typography,
  Upload,
  type FormInstance,
} from 'antd';
import { DeleteOutlined, PlusOutlined, UploadOutlined } from '@ant-design/icons';
import { fileUrl, upload } from '../../api/client.js';
import { errorText } from '../../api/errors.js';
import { useI18n } from '../../i18n/index.js';
import { enterpriseValue, type Field, type Settings, type Values } from './settings-values.js';

const MAX_LIMIT = 100_000;
const MAX_LINKS = 10;

/** The query limit: a number of queries, or none (null). */
function LimitInput({
  value,
  onChange,
  disabled,
  id,
}: {
  readonly value?: number | null;
  readonly onChange?: (v: number | null) => void;
  readonly disabled?: boolean;
  readonly id?: string;
}): ReactNode {
  const { t } = useI18n();
  const none = value === null;
  return (
    <Space wrap>
      <Radio.Group
        disabled={disabled}
        value={none ? 'none' : 'limit'}
        onChange={(e) => onChange?.(e.target.value === 'none' ? null : 10)}
        options={[
          { value: 'limit', label: t('scanSettings.limitOn') },
          { value: 'none', label: t('scanSettings.limitNone') },
        ]}
      />
      {none ? null : (
        <InputNumber<number>
          id={id}
          disabled={disabled}
          min={1}
          max={MAX_LIMIT}
          precision={0}
          value={value ?? undefined}
          onChange={(v) => onChange?.(v ?? 1)}
          suffix={t('scanSettings.limitUnit')}
          style={{ width: 140 }}
        />
      )}
    </Space>
  );
}

/** The page image: upload a JPEG or PNG, see it, remove it. */
function ImageInput({
  value,
  onChange,
  disabled,
}: {
  readonly value?: string | null;
  readonly onChange?: (v: string | null) => void;
  readonly disabled?: boolean;
}): ReactNode {
  const { t } = useI18n();
  const { message } = App.useApp();
  const { token } = theme.useToken();
  return (
    <Flex gap={16} align="center" wrap>
      {value == null ? (
        <Flex
          align="center"
          justify="center"
          style={{
            width: 96,
            height: 96,
            border: `1px dashed ${token.colorBorder}`,
            borderRadius: 8,
            color: token.colorTextSecondary,
            fontSize: 12,
            textAlign: 'center',
            padding: 8,
          }}
        >
          {t('scanSettings.imageNone')}
        </Flex>
      ) : (
        <Image
          src={fileUrl(value)}
          width={96}
          height={96}
          style={{ objectFit: 'cover', borderRadius: 8, border: '1px solid #f0f0f0' }}
          alt={t('scanSettings.image')}
        />
      )}
      <Space orientation="vertical">
        <Upload
          accept=".jpg,.jpeg,.png,image/jpeg,image/png"
          showUploadList={false}
          disabled={disabled}
          beforeUpload={(file) => {
            void upload('/api/v1/scan-settings/image', {}, {}, file)
              .then((r) => {
                onChange?.(r.fileId);
                void message.success(t('scanSettings.imageUploaded'));
              })
              .catch((e: unknown) => void message.error(errorText(t, e)));
            return false;
          }}
        >
          <Button icon={<UploadOutlined />} disabled={disabled}>
            {value == null ? t('scanSettings.imageUpload') : t('scanSettings.imageReplace')}
          </Button>
        </Upload>
        {value == null ? null : (
          <Button
            type="link"
            danger
            disabled={disabled}
            style={{ padding: 0 }}
            onClick={() => onChange?.(null)}
          >
            {t('scanSettings.imageRemove')}
          </Button>
        )}
      </Space>
    </Flex>
  );
}

/** The form's sections. */
export function SettingsForm({
  form,
  productScope,
  enterprise,
  readOnly,
}: {
  readonly form: FormInstance<Values>;
  /** Whether a product's override is edited (fields may inherit). */
  readonly productScope: boolean;
  /** The enterprise's saved settings, shown for inherited fields. */
  readonly enterprise: Settings | undefined;
  readonly readOnly: boolean;
}): ReactNode {
  const { t } = useI18n();
  const inherit = Form.useWatch('inherit', form) as Values['inherit'] | undefined;
  const inherited = (f: Field): boolean => productScope && inherit?.[f] === true;

  /** The "follow the enterprise" switch of a field (for a product). */
  const inheritBox = (f: Field): ReactNode => (
    <span data-testid={`inherit-${f}`}>
      <Form.Item name={['inherit', f]} valuePropName="checked" noStyle>
        <Checkbox
          disabled={readOnly}
          onChange={(e) => {
            // Following the enterprise again: show its value.
            if (e.target.checked && enterprise !== undefined)
              form.setFieldValue(f, enterpriseValue(enterprise, f));
          }}
        >
          {t('scanSettings.inherit')}
        </Checkbox>
      </Form.Item>
    </span>
  );
  /** A field, with its switch on the label's line for a product. */
  const withInherit = (f: Field, item: ReactNode): ReactNode =>
    productScope ? (
      <div style={{ position: 'relative' }}>
        <div style={{ position: 'absolute', top: 0, right: 0, zIndex: 1 }}>{inheritBox(f)}</div>
        {item}
      </div>
    ) : (
      item
    );
  const off = (f: Field): boolean => readOnly || inherited(f);

  return (
    <>
      <Card title={t('scanSettings.sectionVerify')} size="small" style={{ marginBottom: 16 }}>
        {withInherit(
          'antiCounterfeitPopup',
          <Form.Item
            name="antiCounterfeitPopup"
            label={t('scanSettings.popup')}
            extra={t('scanSettings.popupHelp')}
            valuePropName="checked"
          >
            <Switch
              disabled={off('antiCounterfeitPopup')}
              checkedChildren={t('scanSettings.on')}
              unCheckedChildren={t('scanSettings.off')}
            />
          </Form.Item>,
        )}
        {withInherit(
          'queryLimit',
          <Form.Item
            name="queryLimit"
            label={t('scanSettings.limit')}
            extra={t('scanSettings.limitHelp')}
            rules={[
              {
                validator: (_r, v: number | null | undefined) =>
                  v === null || v === undefined || (Number.isInteger(v) && v >= 1 && v <= MAX_LIMIT)
                    ? Promise.resolve()
                    : Promise.reject(new Error(t('scanSettings.limitRange'))),
              },
            ]}
          >
            <LimitInput disabled={off('queryLimit')} />
          </Form.Item>,
        )}
        {withInherit(
          'warningText',
          <Form.Item
            name="warningText"
            label={t('scanSettings.warningText')}
            extra={t('scanSettings.warningHelp')}
            rules={[{ max: 500, message: t('rules.maxLength', { max: 500 }) }]}
          >
            <Input.TextArea
              disabled={off('warningText')}
              rows={2}
              showCount
              maxLength={500}
              placeholder={t('scanSettings.warningPlaceholder')}
            />
          </Form.Item>,
        )}
      </Card>

      <Card title={t('scanSettings.sectionContent')} size="small" style={{ marginBottom: 16 }}>
        {withInherit(
          'promptText',
          <Form.Item
            name="promptText"
            label={t('scanSettings.promptText')}
            extra={t('scanSettings.promptHelp')}
            rules={[{ max: 500, message: t('rules.maxLength', { max: 500 }) }]}
          >
            <Input.TextArea
              disabled={off('promptText')}
              rows={2}
              showCount
              maxLength={500}
              placeholder={t('scanSettings.promptPlaceholder')}
            />
          </Form.Item>,
        )}
        {withInherit(
          'imageFileId',
          <Form.Item name="imageFileId" label={t('scanSettings.image')} extra={t('scanSettings.imageHelp')}>
            <ImageInput disabled={off('imageFileId')} />
          </Form.Item>,
        )}
      </Card>

      <Card
        title={t('scanSettings.sectionLinks')}
        extra={productScope ? inheritBox('links') : null}
        size="small"
        style={{ marginBottom: 16 }}
      >
        <Typography.Paragraph type="secondary">{t('scanSettings.linksHelp')}</Typography.Paragraph>
        <Form.List name="links">
          {(items, { add, remove }) => (
            <>
              {items.length === 0 ? (
                <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('scanSettings.linksNone')} />
              ) : null}
              {items.map((item) => (
                <Flex key={item.key} gap={8} align="flex-start" wrap={false}>
                  <Form.Item
                    name={[item.name, 'kind']}
                    style={{ width: 96, flex: 'none' }}
                    rules={[{ required: true, message: t('rules.required') }]}
                  >
                    <Select
                      aria-label={t('scanSettings.linkKind')}
                      disabled={off('links')}
                      options={[
                        { value: 'shop', label: t('scanSettings.kindShop') },
                        { value: 'news', label: t('scanSettings.kindNews') },
                        { value: 'promotion', label: t('scanSettings.kindPromotion') },
                      ]}
                    />
                  </Form.Item>
                  <Form.Item
                    name={[item.name, 'url']}
                    style={{ flex: 2, minWidth: 0 }}
                    rules={[
                      { required: true, message: t('rules.required') },
                      { pattern: /^https?:\/\/\S+$/, message: t('rules.url') },
                      { max: 500, message: t('rules.maxLength', { max: 500 }) },
                    ]}
                  >
                    <Input
                      aria-label={t('scanSettings.linkUrl')}
                      disabled={off('links')}
                      placeholder="https://"
                    />
                  </Form.Item>
                  <Form.Item
                    name={[item.name, 'label']}
                    style={{ flex: 1, minWidth: 0 }}
                    rules={[{ max: 40, message: t('rules.maxLength', { max: 40 }) }]}
                  >
                    <Input
                      aria-label={t('scanSettings.linkLabel')}
                      disabled={off('links')}
                      placeholder={t('scanSettings.linkLabelPlaceholder')}
                    />
                  </Form.Item>
                  <Button
                    type="text"
                    aria-label={t('scanSettings.linkRemove')}
                    icon={<DeleteOutlined />}
                    disabled={off('links')}
                    onClick={() => remove(item.name)}
                  />
                </Flex>
              ))}
              <Button
                type="dashed"
                block
                icon={<PlusOutlined />}
                disabled={off('links') || items.length >= MAX_LINKS}
                onClick={() => add({ kind: 'shop', url: '', label: '' })}
              >
                {t('scanSettings.linkAdd')}
              </Button>
            </>
          )}
        </Form.List>
      </Card>
    </>
  );
}
