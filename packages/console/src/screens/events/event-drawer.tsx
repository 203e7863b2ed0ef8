/**
 * One EPCIS event in a drawer: a sentence saying what happened, when, where and why, the details
 * in the four EPCIS dimensions (what / when / where / why) with who (source and destination),
 * our extensions (raw material, inspection, stage values …), and the exact JSON-LD as stored.
 */
import { useEffect, useState, type ReactNode } from 'react';
import { Alert, Descriptions, Drawer, Empty, Flex, Space, Spin, Tabs, Tag, Typography } from 'antd';
import { errorText } from '../../api/errors.js';
import { useI18n, type MessageKey, type Translate } from '../../i18n/index.js';
import { useSession } from '../../session/session.js';
import { getEvent, type EpcisEvent, type Quantity } from './epcis-client.js';
import { beijingTime, cbvWord, readableId } from './words.js';

const kindColour: Readonly<Record<string, string>> = {
  item: 'blue',
  lot: 'warning',
  case: 'purple',
  batch: 'magenta',
  party: 'success',
  location: 'geekblue',
  transaction: 'default',
  other: 'default',
};

/** An identifier as a tag: its readable name, the full identifier on hover. */
export function IdTag({ id }: { readonly id: string }): ReactNode {
  const { t } = useI18n();
  const { me } = useSession();
  const r = readableId(t, id, me?.enterprise?.id);
  return (
    <Tag
      color={kindColour[r.kind]}
      title={id}
      style={{ marginBlock: 2, maxWidth: '100%', whiteSpace: 'normal' }}
    >
      {r.label}
    </Tag>
  );
}

/** The identifiers an event is about, instance and class level, with their roles. */
export function eventIdentifiers(e: EpcisEvent): { ids: string[]; quantities: Quantity[] } {
  const ids = [
    ...(e.parentID === undefined ? [] : [e.parentID]),
    ...(e.epcList ?? []),
    ...(e.childEPCs ?? []),
    ...(e.inputEPCList ?? []),
    ...(e.outputEPCList ?? []),
  ];
  const quantities = [
    ...(e.quantityList ?? []),
    ...(e.childQuantityList ?? []),
    ...(e.inputQuantityList ?? []),
    ...(e.outputQuantityList ?? []),
  ];
  return { ids, quantities };
}

function quantityText(t: Translate, q: Quantity): string {
  if (q.quantity === undefined) return '';
  return ` × ${q.quantity.toLocaleString()}${q.uom === undefined ? '' : ` ${cbvWord(t, 'unit', q.uom)}`}`;
}

/**
 * The step of an event in words: a stage record (`tm:stage`) by its template's name, a
 * transformation without a step as production, else the CBV business step.
 */
export function stepWord(t: Translate, e: EpcisEvent): string {
  const stage = e['tm:stage'] as { 'tm:name'?: unknown } | undefined;
  if (typeof stage?.['tm:name'] === 'string') return stage['tm:name'];
  return cbvWord(
    t,
    'bizStep',
    e.bizStep ?? (e.type === 'TransformationEvent' ? 'creating_class_instance' : 'other'),
  );
}

/** A one-line account of an event: when, where, what step, about what, to whom, in what state. */
export function eventSentence(t: Translate, e: EpcisEvent, ownEnterpriseId?: string): string {
  const { ids, quantities } = eventIdentifiers(e);
  const place = e.bizLocation?.id ?? e.readPoint?.id;
  const what = [
    ids.length > 0 ? t('events.nIdentifiers', { n: ids.length }) : '',
    ...quantities
      .slice(0, 2)
      .map((q) => `${readableId(t, q.epcClass, ownEnterpriseId).label}${quantityText(t, q)}`),
  ]
    .filter((s) => s !== '')
    .join(t('events.listSeparator'));
  const to = e.destinationList?.find((d) => d.type.endsWith('owning_party'))?.destination;
  return t('events.sentence', {
    time: beijingTime(e.eventTime),
    place:
      place === undefined
        ? ''
        : t('events.sentencePlace', { place: readableId(t, place, ownEnterpriseId).label }),
    step: stepWord(t, e),
    what: what === '' ? '—' : what,
    to: to === undefined ? '' : t('events.sentenceTo', { to: readableId(t, to, ownEnterpriseId).label }),
    state:
      e.disposition === undefined
        ? ''
        : t('events.sentenceState', { state: cbvWord(t, 'disposition', e.disposition) }),
  });
}

/** Our extension members (`tm:…`) as label–value rows. */
function extensions(e: EpcisEvent): [string, string][] {
  const rows: [string, string][] = [];
  const add = (key: string, v: unknown): void => {
    const name = key.replace(/^[a-z]+:/, '');
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      for (const [k, x] of Object.entries(v as Record<string, unknown>))
        add(`${name}.${k.replace(/^[a-z]+:/, '')}`, x);
    } else rows.push([name, Array.isArray(v) ? v.map(String).join('、') : String(v)]);
  };
  for (const [k, v] of Object.entries(e)) if (/^[a-zA-Z]+:/.test(k) && k !== '@context') add(k, v);
  return rows;
}

/** The drawer of one event, read by its eventID (or given as it is). */
export function EventDrawer({
  eventId,
  event: given,
  onClose,
}: {
  readonly eventId?: string;
  readonly event?: EpcisEvent;
  readonly onClose: () => void;
}): ReactNode {
  const { t } = useI18n();
  const { me } = useSession();
  const own = me?.enterprise?.id;
  const [event, setEvent] = useState<EpcisEvent | undefined>(given);
  const [error, setError] = useState<string>();
  const open = eventId !== undefined || given !== undefined;

  useEffect(() => {
    setError(undefined);
    if (given !== undefined) {
      setEvent(given);
      return undefined;
    }
    setEvent(undefined);
    if (eventId === undefined) return undefined;
    let live = true;
    getEvent(eventId)
      .then((e) => {
        if (live) setEvent(e);
      })
      .catch((e: unknown) => {
        if (live) setError(errorText(t, e));
      });
    return () => {
      live = false;
    };
  }, [eventId, given, t]);

  const body = (e: EpcisEvent): ReactNode => {
    const { ids, quantities } = eventIdentifiers(e);
    const ext = extensions(e);
    return (
      <Space orientation="vertical" size={16} style={{ width: '100%' }}>
        <Alert
          type={e.errorDeclaration === undefined ? 'info' : 'warning'}
          showIcon
          title={eventSentence(t, e, own)}
        />
        {e.errorDeclaration === undefined ? null : (
          <Alert
            type="warning"
            showIcon
            title={t('events.declaredError', { time: beijingTime(e.errorDeclaration.declarationTime) })}
          />
        )}
        <Descriptions
          bordered
          size="small"
          column={1}
          styles={{ label: { width: 132 } }}
          items={[
            {
              key: 'what',
              label: t('events.what'),
              children: (
                <Flex wrap gap={4}>
                  {ids.slice(0, 60).map((id) => (
                    <IdTag key={id} id={id} />
                  ))}
                  {ids.length > 60 ? (
                    <Typography.Text type="secondary">
                      {t('events.more', { n: ids.length - 60 })}
                    </Typography.Text>
                  ) : null}
                  {quantities.map((q, i) => (
                    <span key={`${q.epcClass}-${i}`}>
                      <IdTag id={q.epcClass} />
                      <Typography.Text>{quantityText(t, q)}</Typography.Text>
                    </span>
                  ))}
                  {ids.length === 0 && quantities.length === 0 ? '—' : null}
                </Flex>
              ),
            },
            {
              key: 'type',
              label: t('events.type'),
              children: (
                <Space wrap>
                  <Tag>{cbvWord(t, 'eventType', e.type)}</Tag>
                  {e.action === undefined ? null : <Tag>{cbvWord(t, 'eventAction', e.action)}</Tag>}
                </Space>
              ),
            },
            {
              key: 'when',
              label: t('events.when'),
              children: (
                <Space orientation="vertical" size={0}>
                  <span>
                    {beijingTime(e.eventTime)}{' '}
                    <Typography.Text type="secondary">{t('events.beijingTime')}</Typography.Text>
                  </span>
                  {e.recordTime === undefined ? null : (
                    <Typography.Text type="secondary">
                      {t('events.recorded', { time: beijingTime(e.recordTime) })}
                    </Typography.Text>
                  )}
                </Space>
              ),
            },
            {
              key: 'where',
              label: t('events.where'),
              children: (
                <Space orientation="vertical" size={2}>
                  <span>
                    {t('events.bizLocation')}：
                    {e.bizLocation === undefined ? '—' : <IdTag id={e.bizLocation.id} />}
                  </span>
                  <span>
                    {t('events.readPoint')}：{e.readPoint === undefined ? '—' : <IdTag id={e.readPoint.id} />}
                  </span>
                </Space>
              ),
            },
            {
              key: 'why',
              label: t('events.why'),
              children: (
                <Space orientation="vertical" size={2}>
                  <span>
                    {t('events.bizStep')}：{cbvWord(t, 'bizStep', e.bizStep)}
                  </span>
                  <span>
                    {t('events.disposition')}：{cbvWord(t, 'disposition', e.disposition)}
                  </span>
                  {(e.bizTransactionList ?? []).map((b) => (
                    <span key={b.bizTransaction}>
                      {cbvWord(t, 'btt', b.type ?? '')}：<IdTag id={b.bizTransaction} />
                    </span>
                  ))}
                </Space>
              ),
            },
            {
              key: 'who',
              label: t('events.who'),
              children:
                (e.sourceList ?? []).length + (e.destinationList ?? []).length === 0 ? (
                  '—'
                ) : (
                  <Space orientation="vertical" size={2}>
                    {(e.sourceList ?? []).map((s) => (
                      <span key={`s-${s.type}-${s.source}`}>
                        {t('events.source', {
                          type: t(`events.sd_${s.type.replace(/^.*[-:]/, '')}` as MessageKey),
                        })}
                        ：
                        <IdTag id={s.source} />
                      </span>
                    ))}
                    {(e.destinationList ?? []).map((d) => (
                      <span key={`d-${d.type}-${d.destination}`}>
                        {t('events.destination', {
                          type: t(`events.sd_${d.type.replace(/^.*[-:]/, '')}` as MessageKey),
                        })}
                        ：<IdTag id={d.destination} />
                      </span>
                    ))}
                  </Space>
                ),
            },
            ...(ext.length === 0
              ? []
              : [
                  {
                    key: 'ext',
                    label: t('events.extensions'),
                    children: (
                      <Space orientation="vertical" size={2}>
                        {ext.map(([k, v]) => (
                          <span key={k}>
                            <Typography.Text type="secondary">{k}</Typography.Text>：{v}
                          </span>
                        ))}
                      </Space>
                    ),
                  },
                ]),
            {
              key: 'id',
              label: t('events.eventId'),
              children: (
                <Typography.Text copyable style={{ wordBreak: 'break-all' }}>
                  {e.eventID ?? '—'}
                </Typography.Text>
              ),
            },
          ]}
        />
      </Space>
    );
  };

  return (
    <Drawer open={open} onClose={onClose} size={640} title={t('events.detail')} destroyOnHidden>
      {error !== undefined ? (
        <Empty description={error} />
      ) : event === undefined ? (
        <Spin />
      ) : (
        <Tabs
          items={[
            { key: 'summary', label: t('events.summary'), children: body(event) },
            {
              key: 'json',
              label: 'JSON-LD',
              children: (
                <Typography.Paragraph copyable={{ text: JSON.stringify(event, null, 2) }}>
                  <pre
                    style={{ maxHeight: 'calc(100vh - 220px)', overflow: 'auto', fontSize: 12, margin: 0 }}
                  >
                    {JSON.stringify(event, null, 2)}
                  </pre>
                </Typography.Paragraph>
              ),
            },
          ]}
        />
      )}
    </Drawer>
  );
}
