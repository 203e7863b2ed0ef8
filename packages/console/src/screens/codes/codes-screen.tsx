/**
 * Trace codes (一物一码): the enterprise's code spaces (码段) and generation jobs; a job opens
 * in a drawer with labels, exports (live progress) and activation.
 */
import { useEffect, useState, type ReactNode } from 'react';
import {
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  Empty,
  Form,
  Input,
  InputNumber,
  Modal,
  Progress,
  Radio,
  Select,
  Space,
  Table,
  Typography,
} from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { api, data } from '../../api/client.js';
import { applyFormError, errorText } from '../../api/errors.js';
import type { paths } from '../../api/schema.js';
import { useI18n } from '../../i18n/index.js';
import { useSession } from '../../session/session.js';
import { Page } from '../../components/page.js';
import { ProductSelect } from '../../components/product-select.js';
import { StatusTag } from '../../components/status-tag.js';
import { usePage } from '../../components/use-page.js';
import { JobDrawer, type Job } from './job-drawer.js';

type Space =
  paths['/api/v1/code-spaces']['get']['responses'][200]['content']['application/json']['items'][number];

interface JobQuery {
  page: number;
  pageSize: number;
}

interface JobValues {
  spaceId: string;
  productId?: string;
  packingLevel: 'item' | 'box' | 'case' | 'pallet';
  count: number;
  withPin?: boolean;
  note?: string;
}

export default function CodesScreen(): ReactNode {
  const { t } = useI18n();
  const { can, me } = useSession();
  const { message } = App.useApp();
  const approved = me?.enterprise?.status === 'approved';
  const [spaces, setSpaces] = useState<readonly Space[]>();
  const [tick, setTick] = useState(0);
  const [query, setQuery] = useState<JobQuery>({ page: 1, pageSize: 20 });
  const { page, loading, reload } = usePage(
    (q: JobQuery) => data(api.GET('/api/v1/code-jobs', { params: { query: q } })),
    query,
  );
  const [spaceOpen, setSpaceOpen] = useState(false);
  const [jobOpen, setJobOpen] = useState(false);
  const [current, setCurrent] = useState<Job>();
  const [spaceForm] = Form.useForm<{ name: string; length: 15 | 17 | 21 }>();
  const [jobForm] = Form.useForm<JobValues>();
  const [error, setError] = useState<string>();

  useEffect(() => {
    data(api.GET('/api/v1/code-spaces'))
      .then((s) => setSpaces(s.items))
      .catch((e: unknown) => void message.error(errorText(t, e)));
  }, [tick, message, t]);

  const createSpace = async (v: { name: string; length: 15 | 17 | 21 }): Promise<void> => {
    setError(undefined);
    try {
      await data(api.POST('/api/v1/code-spaces', { body: v }));
      setSpaceOpen(false);
      spaceForm.resetFields();
      setTick((n) => n + 1);
    } catch (e) {
      setError(applyFormError(spaceForm, t, e));
    }
  };

  const createJob = async (v: JobValues): Promise<void> => {
    setError(undefined);
    try {
      const job = await data(
        api.POST('/api/v1/code-jobs', {
          body: {
            spaceId: v.spaceId,
            count: v.count,
            packingLevel: v.packingLevel,
            ...(v.productId === undefined ? {} : { productId: v.productId }),
            ...(v.withPin === true ? { withPin: true } : {}),
            ...(v.note === undefined || v.note === '' ? {} : { note: v.note }),
          },
        }),
      );
      void message.success(t('codes.generated', { n: job.count.toLocaleString() }));
      setJobOpen(false);
      jobForm.resetFields();
      setTick((n) => n + 1);
      reload();
      setCurrent(job);
    } catch (e) {
      setError(
        applyFormError(jobForm, t, e, { TRACE_CODE_SPACE_FULL: 'count', TRACE_CODE_COUNT_RANGE: 'count' }),
      );
    }
  };

  const spaceName = (id: string): string => spaces?.find((s) => s.id === id)?.name ?? '—';
  const activeSpaces = (spaces ?? []).filter((s) => s.status === 'active');

  return (
    <Page title={t('codes.title')} subtitle={t('codes.subtitle')}>
      {approved ? null : (
        <Alert type="warning" showIcon title={t('codes.notApproved')} style={{ marginBottom: 16 }} />
      )}
      <Card
        title={t('codes.spaces')}
        style={{ marginBottom: 16 }}
        extra={
          can('codes.manage') ? (
            <Button icon={<PlusOutlined />} onClick={() => setSpaceOpen(true)} disabled={!approved}>
              {t('codes.createSpace')}
            </Button>
          ) : null
        }
      >
        <Table<Space>
          rowKey="id"
          size="small"
          loading={spaces === undefined}
          dataSource={spaces ?? []}
          pagination={false}
          scroll={{ x: 720 }}
          locale={{ emptyText: <Empty description={t('codes.noSpaces')} /> }}
          columns={[
            { key: 'name', title: t('codes.spaceName'), dataIndex: 'name' },
            {
              key: 'length',
              title: t('codes.length'),
              dataIndex: 'length',
              render: (n: number) => t('codes.digits', { n }),
            },
            {
              key: 'prefix',
              title: t('codes.prefix'),
              dataIndex: 'prefix',
              render: (v: string) => <Typography.Text code>{v}</Typography.Text>,
            },
            {
              key: 'issued',
              title: t('codes.issued'),
              render: (_v, s) => `${s.issued.toLocaleString()} / ${s.capacity.toLocaleString()}`,
            },
            {
              key: 'activated',
              title: t('codes.activatedCount'),
              dataIndex: 'activated',
              render: (n: number) => n.toLocaleString(),
            },
            {
              key: 'status',
              title: t('common.status'),
              dataIndex: 'status',
              render: (s: string) => <StatusTag status={s} />,
            },
          ]}
        />
      </Card>
      <Card
        title={t('codes.jobs')}
        extra={
          <Button
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => setJobOpen(true)}
            disabled={activeSpaces.length === 0}
          >
            {t('codes.createJob')}
          </Button>
        }
      >
        <Table<Job>
          rowKey="id"
          loading={loading}
          dataSource={page?.items ?? []}
          scroll={{ x: 800 }}
          locale={{
            emptyText: (
              <Empty description={activeSpaces.length === 0 ? t('codes.noJobsNoSpace') : t('codes.noJobs')} />
            ),
          }}
          pagination={{
            current: query.page,
            pageSize: query.pageSize,
            total: page?.total ?? 0,
            showTotal: (total) => t('common.total', { total }),
          }}
          onChange={(p) => setQuery({ page: p.current ?? 1, pageSize: p.pageSize ?? 20 })}
          columns={[
            {
              key: 'createdAt',
              title: t('codes.createdAt'),
              dataIndex: 'createdAt',
              render: (v: number) => new Date(v).toLocaleString(),
            },
            {
              key: 'space',
              title: t('codes.space'),
              dataIndex: 'spaceId',
              render: (id: string) => spaceName(id),
            },
            {
              key: 'packingLevel',
              title: t('codes.packingLevel'),
              dataIndex: 'packingLevel',
              render: (l: Job['packingLevel']) => t(`packing.level_${l}`),
            },
            {
              key: 'count',
              title: t('codes.count'),
              dataIndex: 'count',
              align: 'right',
              render: (n: number) => n.toLocaleString(),
            },
            {
              key: 'activated',
              title: t('codes.activatedCount'),
              render: (_v, j) => (
                <Progress
                  aria-label={t('codes.activatedCount')}
                  percent={Math.round((j.activated / j.count) * 100)}
                  size="small"
                  style={{ width: 140 }}
                />
              ),
            },
            {
              key: 'note',
              title: t('codes.note'),
              dataIndex: 'note',
              render: (v: string | null) => v ?? '—',
            },
            {
              key: 'actions',
              title: t('common.actions'),
              render: (_v, j) => (
                <Button type="link" size="small" onClick={() => setCurrent(j)}>
                  {t('codes.open')}
                </Button>
              ),
            },
          ]}
        />
      </Card>
      <Modal
        open={spaceOpen}
        title={t('codes.createSpace')}
        onCancel={() => setSpaceOpen(false)}
        onOk={() => spaceForm.submit()}
        okText={t('common.save')}
        destroyOnHidden
      >
        <Form
          form={spaceForm}
          layout="vertical"
          onFinish={(v) => void createSpace(v)}
          initialValues={{ length: 17 }}
        >
          <Form.Item
            name="name"
            label={t('codes.spaceName')}
            rules={[{ required: true, message: t('rules.required') }, { max: 100 }]}
          >
            <Input placeholder={t('codes.spaceNameHelp')} />
          </Form.Item>
          <Form.Item name="length" label={t('codes.length')} extra={t('codes.lengthHelp')}>
            <Radio.Group
              options={[15, 17, 21].map((n) => ({ value: n, label: t('codes.digits', { n }) }))}
              optionType="button"
            />
          </Form.Item>
          {error === undefined ? null : <Alert type="error" showIcon title={error} />}
        </Form>
      </Modal>
      <Modal
        open={jobOpen}
        title={t('codes.createJob')}
        onCancel={() => setJobOpen(false)}
        onOk={() => jobForm.submit()}
        okText={t('codes.generate')}
        destroyOnHidden
      >
        <Form
          form={jobForm}
          layout="vertical"
          onFinish={(v) => void createJob(v)}
          initialValues={{ count: 1000, spaceId: activeSpaces[0]?.id, packingLevel: 'item' }}
        >
          <Form.Item
            name="spaceId"
            label={t('codes.space')}
            rules={[{ required: true, message: t('rules.required') }]}
          >
            <Select
              options={activeSpaces.map((s) => ({
                value: s.id,
                label: `${s.name} · ${t('codes.digits', { n: s.length })}`,
              }))}
            />
          </Form.Item>
          <Form.Item name="productId" label={t('batches.product')} extra={t('codes.productHelp')}>
            <ProductSelect allowClear />
          </Form.Item>
          <Form.Item name="packingLevel" label={t('codes.packingLevel')} extra={t('codes.packingLevelHelp')}>
            <Radio.Group
              optionType="button"
              options={(['item', 'box', 'case', 'pallet'] as const).map((l) => ({
                value: l,
                label: t(`packing.level_${l}`),
              }))}
            />
          </Form.Item>
          <Form.Item
            name="count"
            label={t('codes.count')}
            rules={[{ required: true, message: t('rules.required') }]}
          >
            <InputNumber min={1} max={100_000_000} precision={0} style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item name="withPin" valuePropName="checked">
            <Checkbox>{t('codes.withPinHelp')}</Checkbox>
          </Form.Item>
          <Form.Item name="note" label={t('codes.note')} rules={[{ max: 200 }]}>
            <Input />
          </Form.Item>
          {error === undefined ? null : <Alert type="error" showIcon title={error} />}
        </Form>
      </Modal>
      <Space />
      <JobDrawer
        job={current}
        onClose={() => setCurrent(undefined)}
        onChanged={() => {
          reload();
          setTick((n) => n + 1);
          if (current !== undefined) {
            void data(api.GET('/api/v1/code-jobs/{jobId}', { params: { path: { jobId: current.id } } })).then(
              setCurrent,
            );
          }
        }}
      />
    </Page>
  );
}
