/**
 * Business actions (业务操作): one form per action the API offers — receiving raw materials,
 * production, packing, warehousing, shipping, receiving, retail sale, inspection, recall,
 * destruction, a stage of one's own template — chosen on the left; the events written appear
 * after each; plus the CSV / Excel import and the raw-material lots received.
 */
import { useState, type ReactNode } from 'react';
import { Link, useSearchParams } from 'react-router';
import { Alert, Button, Card, Col, Flex, Menu, Result, Row, Space, Table, Typography } from 'antd';
import {
  AuditOutlined,
  CarOutlined,
  DeleteOutlined,
  ExperimentOutlined,
  FileExcelOutlined,
  GoldOutlined,
  HomeOutlined,
  ImportOutlined,
  InboxOutlined,
  ExportOutlined,
  NodeIndexOutlined,
  RollbackOutlined,
  ShopOutlined,
  ShoppingCartOutlined,
  BuildOutlined,
} from '@ant-design/icons';
import { useI18n, type MessageKey } from '../../i18n/index.js';
import { useSession } from '../../session/session.js';
import { Page } from '../../components/page.js';
import { EventDrawer } from '../events/event-drawer.js';
import { cbvWord } from '../events/words.js';
import { ActionForm, ACTION_NAMES, type ActionName, type ActionOutcome } from './action-form.js';
import { ImportPanel } from './import-panel.js';
import { LotsPanel } from './lots-panel.js';
import type { Lot } from './selects.js';

type Section = ActionName | 'import' | 'lots';

const icons: Readonly<Record<Section, ReactNode>> = {
  'receive-materials': <ImportOutlined />,
  produce: <BuildOutlined />,
  pack: <InboxOutlined />,
  'warehouse-in': <HomeOutlined />,
  'warehouse-out': <ExportOutlined />,
  ship: <CarOutlined />,
  receive: <ShopOutlined />,
  'retail-sale': <ShoppingCartOutlined />,
  inspection: <ExperimentOutlined />,
  recall: <RollbackOutlined />,
  destroy: <DeleteOutlined />,
  'record-stage': <AuditOutlined />,
  import: <FileExcelOutlined />,
  lots: <GoldOutlined />,
};

const groups: readonly { readonly key: string; readonly items: readonly Section[] }[] = [
  { key: 'groupProduction', items: ['receive-materials', 'produce', 'pack'] },
  { key: 'groupLogistics', items: ['warehouse-in', 'warehouse-out', 'ship', 'receive'] },
  { key: 'groupMarket', items: ['retail-sale', 'inspection', 'record-stage', 'recall', 'destroy'] },
  { key: 'groupData', items: ['import', 'lots'] },
];

export default function TraceActionsScreen(): ReactNode {
  const { t } = useI18n();
  const { can } = useSession();
  const writable = can('events.capture');
  const [search, setSearch] = useSearchParams();
  const asked = search.get('action') as Section | null;
  const section: Section =
    asked !== null && ([...ACTION_NAMES, 'import', 'lots'] as string[]).includes(asked)
      ? asked
      : writable
        ? 'receive-materials'
        : 'lots';
  const [outcome, setOutcome] = useState<ActionOutcome>();
  const [eventId, setEventId] = useState<string>();
  const [tick, setTick] = useState(0);

  const choose = (s: Section): void => {
    setOutcome(undefined);
    setSearch({ action: s });
  };

  const content = (): ReactNode => {
    if (section === 'import') return <ImportPanel onStored={() => setTick((n) => n + 1)} />;
    if (section === 'lots') return <LotsPanel tick={tick} />;
    if (!writable) return <Alert type="warning" showIcon title={t('errors.TRACE_AUTH_FORBIDDEN')} />;
    return (
      <ActionForm
        key={section}
        action={section}
        onDone={(o) => {
          setOutcome(o);
          setTick((n) => n + 1);
        }}
      />
    );
  };

  return (
    <Page title={t('traceActions.title')} subtitle={t('traceActions.subtitle')}>
      <Row gutter={[16, 16]} wrap={false}>
        <Col flex="224px">
          <Card size="small" styles={{ body: { padding: 4 } }}>
            <Menu
              mode="inline"
              selectedKeys={[section]}
              onClick={({ key }) => choose(key as Section)}
              style={{ borderInlineEnd: 'none' }}
              items={groups.map((g) => ({
                type: 'group' as const,
                key: g.key,
                label: t(`traceActions.${g.key}` as MessageKey),
                children: g.items
                  .filter((s) => writable || s === 'lots')
                  .map((s) => ({ key: s, icon: icons[s], label: t(`traceActions.a_${s}` as MessageKey) })),
              }))}
            />
          </Card>
        </Col>
        <Col flex="auto" style={{ minWidth: 0 }}>
          <Card
            title={
              <Space>
                {icons[section]}
                {t(`traceActions.a_${section}` as MessageKey)}
              </Space>
            }
          >
            <Typography.Paragraph type="secondary" style={{ marginTop: -8 }}>
              {t(`traceActions.d_${section}` as MessageKey)}
            </Typography.Paragraph>
            {content()}
          </Card>
          {outcome === undefined ? null : (
            <Card style={{ marginTop: 16 }} data-testid="action-outcome">
              <Result
                status="success"
                style={{ padding: '8px 0' }}
                title={
                  outcome.action === 'pack'
                    ? t('traceActions.packed', { n: outcome.packed ?? 0 })
                    : t('traceActions.written', { n: outcome.eventIds.length })
                }
                subTitle={t(`traceActions.a_${outcome.action}` as MessageKey)}
                extra={
                  <Flex justify="center" gap={8} wrap>
                    <Link to="/events">
                      <Button>{t('traceActions.seeEvents')}</Button>
                    </Link>
                    <Button type="primary" onClick={() => setOutcome(undefined)}>
                      {t('traceActions.again')}
                    </Button>
                  </Flex>
                }
              />
              {outcome.eventIds.length === 0 ? null : (
                <Space orientation="vertical" size={2} style={{ width: '100%' }}>
                  {outcome.eventIds.slice(0, 20).map((id) => (
                    <Typography.Link
                      key={id}
                      onClick={() => setEventId(id)}
                      style={{ wordBreak: 'break-all' }}
                    >
                      {id}
                    </Typography.Link>
                  ))}
                </Space>
              )}
              {outcome.lots === undefined ? null : (
                <Table<Lot>
                  style={{ marginTop: 12 }}
                  size="small"
                  rowKey="id"
                  pagination={false}
                  dataSource={[...outcome.lots]}
                  columns={[
                    { key: 'lot', title: t('traceActions.lotNumber'), dataIndex: 'lot' },
                    { key: 'material', title: t('traceActions.material'), dataIndex: 'material' },
                    {
                      key: 'quantity',
                      title: t('traceActions.quantity'),
                      render: (_v, l) => `${l.quantity.toLocaleString()} ${cbvWord(t, 'unit', l.unit)}`,
                    },
                    {
                      key: 'trace',
                      title: t('common.actions'),
                      render: (_v, l) => (
                        <Link to={`/trace?lot=${encodeURIComponent(l.epcClass)}&direction=forward`}>
                          <NodeIndexOutlined /> {t('traceActions.traceForward')}
                        </Link>
                      ),
                    },
                  ]}
                />
              )}
            </Card>
          )}
        </Col>
      </Row>
      <EventDrawer eventId={eventId} onClose={() => setEventId(undefined)} />
    </Page>
  );
}
