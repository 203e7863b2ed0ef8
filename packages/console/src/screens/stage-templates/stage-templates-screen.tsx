/**
 * Stage templates (环节模板): the enterprise's own stages — planting, feeding, testing … — each
 * with a CBV business step and typed fields (text, number with unit, date, select with options,
 * file), recorded under “Business actions”. Listed and paged on the server; created and edited
 * in a drawer checked as the API checks; deleting archives (recorded events keep their values).
 */
import { useState, type ReactNode } from 'react';
import { Link } from 'react-router';
import {
  Alert,
  App,
  AutoComplete,
  Button,
  Card,
  Col,
  Drawer,
  Empty,
  Flex,
  Form,
  Input,
  Popconfirm,
  Row,
  Segmented,
  Select,
  Space,
  Switch,
  Table,
  Tag,
  Typography,
} from 'antd';
import { DeleteOutlined, EditOutlined, MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import type { Rule } from 'antd/es/form/index.js';
import { CBV_BIZ_STEPS } from '@tracemark/core';
import { api, data } from '../../api/client.js';
import { errorText } from '../../api/errors.js';
import type { paths } from '../../api/schema.js';
import { useI18n, type MessageKey } from '../../i18n/index.js';
import { useSession } from '../../session/session.js';
import { Page } from '../../components/page.js';
import { StatusTag } from '../../components/status-tag.js';
import { usePage } from '../../components/use-page.js';
import { beijingTime, cbvWord } from '../events/words.js';
import { placeError } from '../trace-actions/place-error.js';

type Template =
  paths['/api/v1/stage-templates']['get']['responses'][200]['content']['application/json']['items'][number];
type Field = Template['fields'][number];
type FieldType = Field['type'];

interface Query {
  page: number;
  pageSize: number;
  status: 'active' | 'archived';
  q?: string;
}

interface Values {
  name: string;
  description?: string;
  bizStep: string;
  fields: {
    key: string;
    label: string;
    type: FieldType;
    required?: boolean;
    options?: string[];
    unit?: string;
  }[];
}

const FIELD_TYPES: readonly FieldType[] = ['text', 'number', 'date', 'select', 'file'];
const KEY = /^[a-z][a-z0-9_]{0,39}$/;

export default function StageTemplatesScreen(): ReactNode {
  const { t } = useI18n();
  const { can } = useSession();
  const { message } = App.useApp();
  const writable = can('events.capture');
  const [query, setQuery] = useState<Query>({ page: 1, pageSize: 20, status: 'active' });
  const { page, loading, reload } = usePage(
    (q: Query) => data(api.GET('/api/v1/stage-templates', { params: { query: q } })),
    query,
  );
  const [editing, setEditing] = useState<Template | 'new'>();
  const [form] = Form.useForm<Values>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const open = (tpl: Template | 'new'): void => {
    form.resetFields();
    setError(undefined);
    if (tpl === 'new') {
      form.setFieldsValue({
        bizStep: 'other',
        fields: [{ key: '', label: '', type: 'text', required: false }],
      });
    } else {
      form.setFieldsValue({
        name: tpl.name,
        description: tpl.description ?? undefined,
        bizStep: tpl.bizStep,
        fields: tpl.fields.map((f) => ({ ...f })),
      });
    }
    setEditing(tpl);
  };

  const save = async (v: Values): Promise<void> => {
    setBusy(true);
    setError(undefined);
    const body = {
      name: v.name.trim(),
      description: v.description === undefined || v.description.trim() === '' ? null : v.description.trim(),
      bizStep: v.bizStep.trim(),
      fields: v.fields.map((f) => ({
        key: f.key,
        label: f.label.trim(),
        type: f.type,
        required: f.required === true,
        ...(f.type === 'select' && f.options !== undefined ? { options: f.options } : {}),
        ...(f.type === 'number' && f.unit !== undefined && f.unit.trim() !== ''
          ? { unit: f.unit.trim() }
          : {}),
      })),
    };
    try {
      if (editing === 'new') await data(api.POST('/api/v1/stage-templates', { body }));
      else if (editing !== undefined) {
        await data(
          api.PATCH('/api/v1/stage-templates/{templateId}', {
            params: { path: { templateId: editing.id } },
            body,
          }),
        );
      }
      void message.success(t('common.saved'));
      setEditing(undefined);
      reload();
    } catch (e) {
      setError(
        placeError(form, t, e, {
          TRACE_ACTION_TEMPLATE_INVALID: 'fields',
          TRACE_ACTION_TEMPLATE_ARCHIVED: 'name',
        }),
      );
    } finally {
      setBusy(false);
    }
  };

  const archive = async (tpl: Template): Promise<void> => {
    try {
      await data(
        api.DELETE('/api/v1/stage-templates/{templateId}', { params: { path: { templateId: tpl.id } } }),
      );
      void message.success(t('stageTemplates.archived'));
      reload();
    } catch (e) {
      void message.error(errorText(t, e));
    }
  };

  const bizStepRule: Rule = {
    validator: (_r, v: string | undefined) => {
      const s = (v ?? '').trim();
      if (s === '') return Promise.reject(new Error(t('rules.required')));
      if (!CBV_BIZ_STEPS.includes(s) && !/^[a-z][a-z0-9+.-]*:\S+$/i.test(s)) {
        return Promise.reject(new Error(t('stageTemplates.bizStepInvalid')));
      }
      return Promise.resolve();
    },
  };

  return (
    <Page
      title={t('stageTemplates.title')}
      subtitle={t('stageTemplates.subtitle')}
      extra={
        writable ? (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => open('new')}>
            {t('stageTemplates.create')}
          </Button>
        ) : null
      }
    >
      <Flex gap={12} wrap style={{ marginBottom: 16 }}>
        <Segmented<'active' | 'archived'>
          value={query.status}
          onChange={(status) => setQuery({ ...query, page: 1, status })}
          options={[
            { value: 'active', label: t('status.active') },
            { value: 'archived', label: t('status.archived') },
          ]}
        />
        <Input.Search
          allowClear
          placeholder={t('stageTemplates.search')}
          style={{ width: 240 }}
          onSearch={(q) => setQuery({ ...query, page: 1, q: q === '' ? undefined : q })}
        />
      </Flex>
      <Table<Template>
        rowKey="id"
        loading={loading}
        dataSource={page?.items ?? []}
        scroll={{ x: 960 }}
        locale={{
          emptyText: (
            <Empty
              description={
                query.q !== undefined
                  ? t('common.noMatch')
                  : query.status === 'archived'
                    ? t('stageTemplates.noArchived')
                    : t('stageTemplates.empty')
              }
            >
              {writable && query.status === 'active' && query.q === undefined ? (
                <Button type="primary" icon={<PlusOutlined />} onClick={() => open('new')}>
                  {t('stageTemplates.create')}
                </Button>
              ) : null}
            </Empty>
          ),
        }}
        pagination={{
          current: query.page,
          pageSize: query.pageSize,
          total: page?.total ?? 0,
          showSizeChanger: true,
          showTotal: (total) => t('common.total', { total }),
        }}
        onChange={(p) => setQuery({ ...query, page: p.current ?? 1, pageSize: p.pageSize ?? 20 })}
        columns={[
          {
            key: 'name',
            title: t('stageTemplates.name'),
            render: (_v, tpl) => (
              <Space orientation="vertical" size={0}>
                <Typography.Text strong>{tpl.name}</Typography.Text>
                {tpl.description === null ? null : (
                  <Typography.Text
                    type="secondary"
                    ellipsis={{ tooltip: tpl.description }}
                    style={{ maxWidth: 280 }}
                  >
                    {tpl.description}
                  </Typography.Text>
                )}
              </Space>
            ),
          },
          {
            key: 'bizStep',
            title: t('stageTemplates.bizStep'),
            width: 150,
            render: (_v, tpl) => <Tag color="blue">{cbvWord(t, 'bizStep', tpl.bizStep)}</Tag>,
          },
          {
            key: 'fields',
            title: t('stageTemplates.fields'),
            render: (_v, tpl) =>
              tpl.fields.length === 0 ? (
                '—'
              ) : (
                <Flex wrap gap={4}>
                  {tpl.fields.map((f) => (
                    <Tag key={f.key}>
                      {f.label}
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {' '}
                        · {t(`stageTemplates.type_${f.type}` as MessageKey)}
                        {f.required ? ` · ${t('stageTemplates.requiredShort')}` : ''}
                      </Typography.Text>
                    </Tag>
                  ))}
                </Flex>
              ),
          },
          {
            key: 'status',
            title: t('common.status'),
            width: 90,
            render: (_v, tpl) => <StatusTag status={tpl.status} />,
          },
          {
            key: 'updatedAt',
            title: t('common.updatedAt'),
            width: 170,
            render: (_v, tpl) => beijingTime(tpl.updatedAt),
          },
          {
            key: 'actions',
            title: t('common.actions'),
            width: 220,
            render: (_v, tpl) =>
              tpl.status === 'archived' || !writable ? (
                '—'
              ) : (
                <Space size={4} wrap>
                  <Link to={`/trace-actions?action=record-stage`}>{t('stageTemplates.record')}</Link>
                  <Button size="small" type="link" icon={<EditOutlined />} onClick={() => open(tpl)}>
                    {t('common.edit')}
                  </Button>
                  <Popconfirm
                    title={t('stageTemplates.archiveConfirm', { name: tpl.name })}
                    description={t('stageTemplates.archiveHelp')}
                    onConfirm={() => void archive(tpl)}
                  >
                    <Button size="small" type="link" danger icon={<DeleteOutlined />}>
                      {t('common.delete')}
                    </Button>
                  </Popconfirm>
                </Space>
              ),
          },
        ]}
      />
      <Drawer
        open={editing !== undefined}
        onClose={() => setEditing(undefined)}
        size={760}
        title={editing === 'new' ? t('stageTemplates.create') : t('stageTemplates.edit')}
        extra={
          <Space>
            <Button onClick={() => setEditing(undefined)}>{t('common.cancel')}</Button>
            <Button type="primary" loading={busy} onClick={() => form.submit()}>
              {t('common.save')}
            </Button>
          </Space>
        }
      >
        <Form form={form} layout="vertical" onFinish={(v) => void save(v)} scrollToFirstError>
          <Row gutter={16}>
            <Col xs={24} md={12}>
              <Form.Item
                name="name"
                label={t('stageTemplates.name')}
                rules={[
                  { required: true, whitespace: true, message: t('rules.required') },
                  { max: 100, message: t('rules.maxLength', { max: 100 }) },
                ]}
              >
                <Input placeholder={t('stageTemplates.namePlaceholder')} />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item
                name="bizStep"
                label={t('stageTemplates.bizStep')}
                tooltip={t('stageTemplates.bizStepHelp')}
                rules={[bizStepRule, { max: 300, message: t('rules.maxLength', { max: 300 }) }]}
              >
                <AutoComplete
                  options={CBV_BIZ_STEPS.map((s) => ({
                    value: s,
                    label: `${cbvWord(t, 'bizStep', s)} · ${s}`,
                  }))}
                  showSearch={{
                    filterOption: (input, o) => (o?.label ?? '').toLowerCase().includes(input.toLowerCase()),
                  }}
                />
              </Form.Item>
            </Col>
          </Row>
          <Form.Item
            name="description"
            label={t('stageTemplates.description')}
            rules={[{ max: 1000, message: t('rules.maxLength', { max: 1000 }) }]}
          >
            <Input.TextArea rows={2} />
          </Form.Item>
          <Typography.Title level={5}>{t('stageTemplates.fields')}</Typography.Title>
          <Form.List
            name="fields"
            rules={[
              {
                validator: (_r, list: Values['fields'] | undefined) => {
                  if ((list ?? []).length > 50)
                    return Promise.reject(new Error(t('stageTemplates.tooManyFields')));
                  return Promise.resolve();
                },
              },
            ]}
          >
            {(items, { add, remove }, { errors }) => (
              <>
                {items.map((item, index) => (
                  <Card key={item.key} size="small" style={{ marginBottom: 12, background: '#fafafa' }}>
                    <Row gutter={8}>
                      <Col xs={12} md={7}>
                        <Form.Item
                          name={[item.name, 'label']}
                          label={t('stageTemplates.fieldLabel')}
                          rules={[
                            { required: true, whitespace: true, message: t('rules.required') },
                            { max: 100, message: t('rules.maxLength', { max: 100 }) },
                          ]}
                        >
                          <Input placeholder={t('stageTemplates.fieldLabelPlaceholder')} />
                        </Form.Item>
                      </Col>
                      <Col xs={12} md={6}>
                        <Form.Item
                          name={[item.name, 'key']}
                          label={t('stageTemplates.fieldKey')}
                          tooltip={t('stageTemplates.fieldKeyHelp')}
                          rules={[
                            { required: true, message: t('rules.required') },
                            { pattern: KEY, message: t('stageTemplates.fieldKeyInvalid') },
                            {
                              validator: (_r, key: string | undefined) => {
                                const all =
                                  (form.getFieldValue('fields') as Values['fields'] | undefined) ?? [];
                                if (
                                  key !== undefined &&
                                  key !== '' &&
                                  all.filter((f) => f.key === key).length > 1
                                ) {
                                  return Promise.reject(new Error(t('stageTemplates.fieldKeyTaken')));
                                }
                                return Promise.resolve();
                              },
                            },
                          ]}
                        >
                          <Input placeholder="fertiliser" />
                        </Form.Item>
                      </Col>
                      <Col xs={12} md={5}>
                        <Form.Item
                          name={[item.name, 'type']}
                          label={t('stageTemplates.fieldType')}
                          rules={[{ required: true, message: t('rules.required') }]}
                        >
                          <Select
                            options={FIELD_TYPES.map((x) => ({
                              value: x,
                              label: t(`stageTemplates.type_${x}` as MessageKey),
                            }))}
                          />
                        </Form.Item>
                      </Col>
                      <Col xs={8} md={4}>
                        <Form.Item
                          name={[item.name, 'required']}
                          label={t('stageTemplates.fieldRequired')}
                          valuePropName="checked"
                        >
                          <Switch />
                        </Form.Item>
                      </Col>
                      <Col xs={4} md={2}>
                        <Button
                          type="text"
                          danger
                          aria-label={t('stageTemplates.removeField', { n: index + 1 })}
                          icon={<MinusCircleOutlined />}
                          style={{ marginTop: 30 }}
                          onClick={() => remove(item.name)}
                        />
                      </Col>
                      <Form.Item
                        noStyle
                        shouldUpdate={(a: Values, b: Values) =>
                          a.fields[item.name]?.type !== b.fields[item.name]?.type
                        }
                      >
                        {() => {
                          const type = form.getFieldValue(['fields', item.name, 'type']) as
                            FieldType | undefined;
                          if (type === 'select') {
                            return (
                              <Col span={24}>
                                <Form.Item
                                  name={[item.name, 'options']}
                                  label={t('stageTemplates.fieldOptions')}
                                  rules={[{ required: true, message: t('stageTemplates.optionsRequired') }]}
                                >
                                  <Select
                                    mode="tags"
                                    open={false}
                                    placeholder={t('stageTemplates.optionsPlaceholder')}
                                  />
                                </Form.Item>
                              </Col>
                            );
                          }
                          if (type === 'number') {
                            return (
                              <Col xs={12} md={7}>
                                <Form.Item
                                  name={[item.name, 'unit']}
                                  label={t('stageTemplates.fieldUnit')}
                                  rules={[{ max: 20, message: t('rules.maxLength', { max: 20 }) }]}
                                >
                                  <Input placeholder="kg/亩" />
                                </Form.Item>
                              </Col>
                            );
                          }
                          return null;
                        }}
                      </Form.Item>
                    </Row>
                  </Card>
                ))}
                <Form.ErrorList errors={errors} />
                <Button
                  type="dashed"
                  block
                  icon={<PlusOutlined />}
                  disabled={items.length >= 50}
                  onClick={() => add({ key: '', label: '', type: 'text', required: false })}
                >
                  {t('stageTemplates.addField')}
                </Button>
              </>
            )}
          </Form.List>
          {error === undefined ? null : (
            <Alert style={{ marginTop: 16 }} type="error" showIcon title={error} />
          )}
        </Form>
      </Drawer>
    </Page>
  );
}
