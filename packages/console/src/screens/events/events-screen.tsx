/**
 * The enterprise's EPCIS events (事件记录): filters by event type, time (Beijing time), business
 * step and code / identifier, newest first, a page at a time with the binding's nextPageToken,
 * and the event in a drawer (a human summary and the exact JSON-LD).
 */
import { useEffect, useState, type ReactNode } from 'react';
import { useSearchParams } from 'react-router';
import {
  App,
  Button,
  Card,
  DatePicker,
  Empty,
  Flex,
  Input,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import { LeftOutlined, ReloadOutlined, RightOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { CBV_BIZ_STEPS, EPCIS_EVENT_TYPES } from '@tracemark/core';
import { errorText } from '../../api/errors.js';
import { useI18n } from '../../i18n/index.js';
import { Page } from '../../components/page.js';
import { useSession } from '../../session/session.js';
import { queryEvents, type EpcisEvent } from './epcis-client.js';
import { EventDrawer, eventIdentifiers, IdTag, stepWord } from './event-drawer.js';
import { beijingTime, cbvWord } from './words.js';

interface Filters {
  eventType?: string;
  bizStep?: string;
  epc?: string;
  from?: string;
  to?: string;
}

/** A picked date-time read as Beijing wall-clock time, in ISO 8601 with its offset. */
const beijingIso = (d: Dayjs): string => `${d.format('YYYY-MM-DDTHH:mm:ss')}+08:00`;
/** The other way: an ISO 8601 time of the address as the Beijing wall-clock time it names. */
const beijingWall = (iso: string | undefined): Dayjs | null =>
  iso === undefined ? null : dayjs(beijingTime(iso).replace(' ', 'T'));

export default function EventsScreen(): ReactNode {
  const { t } = useI18n();
  const { message } = App.useApp();
  const { me } = useSession();
  // A regulator reads only what enterprises shared with its jurisdiction (adr/0007).
  const regulator = me?.user.role === 'regulator';
  const [search, setSearch] = useSearchParams();
  const filters: Filters = {
    eventType: search.get('eventType') ?? undefined,
    bizStep: search.get('bizStep') ?? undefined,
    epc: search.get('epc') ?? undefined,
    from: search.get('from') ?? undefined,
    to: search.get('to') ?? undefined,
  };
  const key = search.toString();
  const [perPage, setPerPage] = useState(20);
  // Tokens of the pages seen so far: [undefined (first), token of page 2, …].
  const [tokens, setTokens] = useState<(string | undefined)[]>([undefined]);
  const [pageIndex, setPageIndex] = useState(0);
  const [events, setEvents] = useState<readonly EpcisEvent[]>([]);
  const [next, setNext] = useState<string>();
  const [loading, setLoading] = useState(true);
  const [tick, setTick] = useState(0);
  const [open, setOpen] = useState<EpcisEvent>();
  const [epcText, setEpcText] = useState(filters.epc ?? '');

  useEffect(() => {
    setTokens([undefined]);
    setPageIndex(0);
  }, [key, perPage]);

  useEffect(() => {
    let live = true;
    setLoading(true);
    const token = tokens[pageIndex];
    queryEvents(
      {
        orderBy: 'eventTime',
        orderDirection: 'DESC',
        eventType: filters.eventType,
        EQ_bizStep: filters.bizStep,
        MATCH_anyEPC: filters.epc,
        GE_eventTime: filters.from,
        LT_eventTime: filters.to,
      },
      { perPage, ...(token === undefined ? {} : { nextPageToken: token }) },
    )
      .then((p) => {
        if (!live) return;
        setEvents(p.events);
        setNext(p.nextPageToken);
      })
      .catch((e: unknown) => {
        if (live) {
          setEvents([]);
          setNext(undefined);
          void message.error(errorText(t, e));
        }
      })
      .finally(() => {
        if (live) setLoading(false);
      });
    return () => {
      live = false;
    };
    // The filters' text, the page and its size decide when to reload.
  }, [key, perPage, pageIndex, tokens, tick]);

  const setFilter = (patch: Partial<Filters>): void => {
    const merged = { ...filters, ...patch };
    const q = new URLSearchParams();
    const entries: [string, string | undefined][] = Object.entries(merged);
    for (const [k, v] of entries) if (v !== undefined && v !== '') q.set(k, v);
    setSearch(q);
  };
  const filtered = Object.values(filters).some((v) => v !== undefined);

  return (
    <Page
      title={t('events.title')}
      subtitle={regulator ? t('events.subtitleRegulator') : t('events.subtitle')}
      extra={
        <Button icon={<ReloadOutlined />} onClick={() => setTick((n) => n + 1)}>
          {t('events.refresh')}
        </Button>
      }
    >
      <Card size="small" style={{ marginBottom: 16 }}>
        <Flex wrap gap={12} align="center">
          <Select
            allowClear
            aria-label={t('events.type')}
            placeholder={t('events.allTypes')}
            style={{ width: 160 }}
            value={filters.eventType}
            onChange={(v?: string) => setFilter({ eventType: v })}
            options={EPCIS_EVENT_TYPES.map((v) => ({ value: v, label: cbvWord(t, 'eventType', v) }))}
          />
          <Select
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            aria-label={t('events.bizStep')}
            placeholder={t('events.allSteps')}
            style={{ width: 180 }}
            value={filters.bizStep}
            onChange={(v?: string) => setFilter({ bizStep: v })}
            options={CBV_BIZ_STEPS.map((v) => ({ value: v, label: `${cbvWord(t, 'bizStep', v)} · ${v}` }))}
          />
          <DatePicker.RangePicker
            showTime={{ format: 'HH:mm' }}
            format="YYYY-MM-DD HH:mm"
            placeholder={[t('events.from'), t('events.to')]}
            aria-label={t('events.timeRange')}
            // The range in the address (also from a link, e.g. a received share) shows here.
            value={
              filters.from === undefined && filters.to === undefined
                ? null
                : [beijingWall(filters.from), beijingWall(filters.to)]
            }
            onChange={(r) =>
              setFilter({
                from: r?.[0] == null ? undefined : beijingIso(r[0]),
                to: r?.[1] == null ? undefined : beijingIso(r[1]),
              })
            }
          />
          <Input.Search
            allowClear
            aria-label={t('events.epcSearch')}
            placeholder={t('events.epcSearch')}
            style={{ width: 300 }}
            value={epcText}
            onChange={(e) => setEpcText(e.target.value)}
            onSearch={(v) => setFilter({ epc: v.trim() === '' ? undefined : v.trim() })}
          />
        </Flex>
      </Card>
      <Table<EpcisEvent>
        rowKey={(e) => e.eventID ?? `${e.eventTime}-${e.type}`}
        loading={loading}
        dataSource={[...events]}
        pagination={false}
        scroll={{ x: 1000 }}
        onRow={(e) => ({ onClick: () => setOpen(e), style: { cursor: 'pointer' } })}
        locale={{
          emptyText: (
            <Empty
              description={
                filtered ? t('common.noMatch') : regulator ? t('events.emptyRegulator') : t('events.empty')
              }
            />
          ),
        }}
        columns={[
          {
            key: 'time',
            title: t('events.eventTime'),
            width: 170,
            render: (_v, e) => beijingTime(e.eventTime),
          },
          {
            key: 'step',
            title: t('events.bizStep'),
            width: 130,
            // A button as well as the row: the drawer opens from the keyboard too.
            render: (_v, e) => (
              <Button
                type="link"
                style={{ padding: 0, height: 'auto', fontWeight: 600 }}
                onClick={() => setOpen(e)}
              >
                {stepWord(t, e)}
              </Button>
            ),
          },
          {
            key: 'type',
            title: t('events.type'),
            width: 150,
            render: (_v, e) => (
              <Space size={4} wrap>
                <span>{cbvWord(t, 'eventType', e.type)}</span>
                {e.action === undefined ? null : <Tag>{cbvWord(t, 'eventAction', e.action)}</Tag>}
              </Space>
            ),
          },
          {
            key: 'what',
            title: t('events.what'),
            render: (_v, e) => {
              const { ids, quantities } = eventIdentifiers(e);
              const all = [...ids, ...quantities.map((q) => q.epcClass)];
              return (
                <Flex wrap gap={2} align="center">
                  {all.slice(0, 3).map((id) => (
                    <IdTag key={id} id={id} />
                  ))}
                  {all.length > 3 ? (
                    <Typography.Text type="secondary">
                      {t('events.more', { n: all.length - 3 })}
                    </Typography.Text>
                  ) : null}
                </Flex>
              );
            },
          },
          {
            key: 'where',
            title: t('events.where'),
            width: 180,
            render: (_v, e) => {
              const place = e.bizLocation?.id ?? e.readPoint?.id;
              return place === undefined ? '—' : <IdTag id={place} />;
            },
          },
          {
            key: 'disposition',
            title: t('events.disposition'),
            width: 130,
            render: (_v, e) =>
              e.disposition === undefined ? (
                '—'
              ) : (
                <Tag color="processing">{cbvWord(t, 'disposition', e.disposition)}</Tag>
              ),
          },
        ]}
      />
      <Flex justify="flex-end" align="center" gap={12} style={{ marginTop: 16 }}>
        <Typography.Text type="secondary">{t('events.pageN', { n: pageIndex + 1 })}</Typography.Text>
        <Button
          icon={<LeftOutlined />}
          disabled={pageIndex === 0 || loading}
          onClick={() => setPageIndex((i) => Math.max(0, i - 1))}
        >
          {t('events.previous')}
        </Button>
        <Button
          disabled={next === undefined || loading}
          onClick={() => {
            setTokens((ts) => [...ts.slice(0, pageIndex + 1), next]);
            setPageIndex((i) => i + 1);
          }}
        >
          {t('events.next')} <RightOutlined />
        </Button>
        <Select
          aria-label={t('events.perPage')}
          value={perPage}
          onChange={setPerPage}
          style={{ width: 110 }}
          options={[20, 50, 100].map((n) => ({ value: n, label: t('events.perPageN', { n }) }))}
        />
      </Flex>
      <EventDrawer event={open} onClose={() => setOpen(undefined)} />
    </Page>
  );
}
