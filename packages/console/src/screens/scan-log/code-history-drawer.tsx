/**
 * One code's query history in a drawer: the locked first query time and region, the count, the
 * latest query and the latest 50 queries with their verdicts, regions and clients.
 */
import { useEffect, useState, type ReactNode } from 'react';
import { Link } from 'react-router';
import {
  Alert,
  Button,
  Descriptions,
  Drawer,
  Empty,
  Flex,
  Skeleton,
  Space,
  Table,
  Tooltip,
  Typography,
} from 'antd';
import { FilterOutlined, LockOutlined } from '@ant-design/icons';
import { api, data } from '../../api/client.js';
import { errorText } from '../../api/errors.js';
import type { paths } from '../../api/schema.js';
import { useI18n } from '../../i18n/index.js';
import { VerdictTag } from './verdict-tag.js';
import { clientKey, dateTime, regionText } from './format.js';

type History = paths['/api/v1/codes/{code}/queries']['get']['responses'][200]['content']['application/json'];
type Entry = History['scans'][number];

/** Groups a code's digits by four, as labels print them. */
export function groupedCode(code: string): string {
  return code.replace(/(\d{4})(?=\d)/g, '$1 ');
}

/** The drawer; open while `code` is set. */
export function CodeHistoryDrawer({
  code,
  onClose,
  showLogLink = true,
}: {
  readonly code: string | undefined;
  readonly onClose: () => void;
  /** Whether to offer filtering the scan log by the code (not when already filtered). */
  readonly showLogLink?: boolean;
}): ReactNode {
  const { t } = useI18n();
  const [history, setHistory] = useState<History>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    if (code === undefined) return undefined;
    let live = true;
    setHistory(undefined);
    setError(undefined);
    data(api.GET('/api/v1/codes/{code}/queries', { params: { path: { code } } }))
      .then((h) => {
        if (live) setHistory(h);
      })
      .catch((e: unknown) => {
        if (live) setError(errorText(t, e));
      });
    return () => {
      live = false;
    };
  }, [code, t]);

  return (
    <Drawer
      open={code !== undefined}
      onClose={onClose}
      size={720}
      title={code === undefined ? '' : t('scanLog.drawerTitle', { code: groupedCode(code) })}
      extra={
        code === undefined ? null : (
          <Space>
            {showLogLink ? (
              <Link to={`/scan-log?code=${encodeURIComponent(code)}`} onClick={onClose}>
                <Button icon={<FilterOutlined />}>{t('scanLog.showInLog')}</Button>
              </Link>
            ) : null}
          </Space>
        )
      }
    >
      {error !== undefined ? <Alert type="error" showIcon title={error} /> : null}
      {history === undefined && error === undefined ? <Skeleton active /> : null}
      {history === undefined ? null : (
        <Flex vertical gap={24}>
          <Descriptions bordered size="small" column={2}>
            <Descriptions.Item
              label={
                <Tooltip title={t('scanLog.firstQueryLocked')}>
                  <Space size={4}>
                    <LockOutlined />
                    {t('scanLog.firstQuery')}
                  </Space>
                </Tooltip>
              }
            >
              <Typography.Text strong>{dateTime(history.firstQueryAt)}</Typography.Text>
            </Descriptions.Item>
            <Descriptions.Item label={t('scanLog.firstRegion')}>
              {regionText(history.firstRegion) ?? t('scanLog.regionUnknown')}
            </Descriptions.Item>
            <Descriptions.Item label={t('scanLog.count')}>
              <Typography.Text strong>{t('scanLog.countValue', { count: history.count })}</Typography.Text>
            </Descriptions.Item>
            <Descriptions.Item label={t('scanLog.lastQuery')}>
              {dateTime(history.lastQueryAt)}
            </Descriptions.Item>
            <Descriptions.Item label={t('scanLog.lastRegion')} span={2}>
              {regionText(history.lastRegion) ?? t('scanLog.regionUnknown')}
            </Descriptions.Item>
          </Descriptions>
          <Typography.Text type="secondary">
            <LockOutlined /> {t('scanLog.firstQueryLocked')}
          </Typography.Text>
          {history.scans.length === 0 ? (
            <Empty description={t('scanLog.neverQueried')} />
          ) : (
            <div>
              <Typography.Title level={5}>
                {t('scanLog.latest', { count: history.scans.length })}
              </Typography.Title>
              <Table<Entry>
                rowKey="id"
                size="small"
                pagination={false}
                dataSource={history.scans}
                columns={[
                  {
                    key: 'at',
                    title: t('scanLog.time'),
                    dataIndex: 'at',
                    render: (v: number) => dateTime(v),
                  },
                  {
                    key: 'verdict',
                    title: t('scanLog.verdict'),
                    render: (_v, s) => <VerdictTag verdict={s.verdict} warnings={s.warnings} />,
                  },
                  {
                    key: 'region',
                    title: t('scanLog.region'),
                    render: (_v, s) => regionText(s.region) ?? t('scanLog.regionUnknown'),
                  },
                  {
                    key: 'client',
                    title: t('scanLog.client'),
                    dataIndex: 'client',
                    render: (c: string) => t(clientKey(c)),
                  },
                ]}
              />
            </div>
          )}
        </Flex>
      )}
    </Drawer>
  );
}
