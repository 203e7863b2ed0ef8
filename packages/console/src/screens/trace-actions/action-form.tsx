/**
 * The form of one business action (业务操作): what it is about (scanned or pasted codes, ranges of
 * a code job's positions, batches, raw-material lots), where, who and when, and the action's own fields. Checked as the API
 * checks (codes with their check digit, required fields, quantities), sent to
 * `POST /api/v1/trace-actions/{action}` (packing to `POST /api/v1/line/pack`), errors shown under
 * their fields, and the events written shown after.
 */
import { useState, type ReactNode } from 'react';
import {
  Alert,
  Button,
  Col,
  DatePicker,
  Divider,
  Flex,
  Form,
  Input,
  InputNumber,
  Radio,
  Row,
  Select,
  Space,
  Typography,
} from 'antd';
import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import type { Rule } from 'antd/es/form/index.js';
import dayjs, { type Dayjs } from 'dayjs';
import { parseCode } from '@tracemark/codes';
import { CBV_BIZ_TRANSACTION_TYPES } from '@tracemark/core';
import { api, data } from '../../api/client.js';
import { useI18n, type MessageKey, type Translate } from '../../i18n/index.js';
import { cbvWord, parseCodes } from '../events/words.js';
import { placeError } from './place-error.js';
import { BatchSelect, JobSelect, LotSelect, TemplateSelect, type Lot, type Template } from './selects.js';

/** The actions of the screen: the API's business actions and packing. */
export const ACTION_NAMES = [
  'receive-materials',
  'produce',
  'pack',
  'warehouse-in',
  'warehouse-out',
  'ship',
  'receive',
  'retail-sale',
  'inspection',
  'recall',
  'destroy',
  'record-stage',
] as const;
/** One of them. */
export type ActionName = (typeof ACTION_NAMES)[number];

/** What an action stored: its events, and the raw-material lots it created. */
export interface ActionOutcome {
  readonly action: ActionName;
  readonly eventIds: readonly string[];
  readonly lots?: readonly Lot[];
  readonly packed?: number;
}

const UNITS = ['KGM', 'GRM', 'TNE', 'LTR', 'MLT', 'H87', 'BX', 'CT', 'PR'];
const MEASUREMENTS = [
  'gs1:Temperature',
  'gs1:RelativeHumidity',
  'gs1:Weight',
  'gs1:Length',
  'gs1:Concentration',
];

// Where errors without details go, per code.
const codeFields: Readonly<Record<string, string>> = {
  TRACE_CODE_INVALID: 'codes',
  TRACE_CODE_NOT_FOUND: 'codes',
  TRACE_CODE_NOT_ACTIVE: 'codes',
  TRACE_CODE_VOIDED: 'codes',
  TRACE_CODE_TOO_MANY: 'codes',
  TRACE_CODE_RANGE_INVALID: 'ranges',
  TRACE_ACTION_CODE_BATCH: 'codes',
  TRACE_ACTION_NO_TARGETS: 'codes',
  TRACE_BATCH_NOT_FOUND: 'batchId',
  TRACE_BATCH_ARCHIVED: 'batchId',
  TRACE_ACTION_LOT_NOT_FOUND: 'inputs',
  TRACE_ACTION_LOT_EXHAUSTED: 'inputs',
  TRACE_ACTION_TEMPLATE_NOT_FOUND: 'templateId',
  TRACE_ACTION_TEMPLATE_ARCHIVED: 'templateId',
  TRACE_CODE_PACKING_LEVEL: 'parent',
  TRACE_CODE_PACK_CYCLE: 'parent',
  TRACE_CODE_MIXED_BATCHES: 'children',
};

/** A range of positions of a code job, as the form holds it (unfinished while typed). */
interface RangeValue {
  jobId?: string;
  from?: number | null;
  to?: number | null;
}

type Values = Record<string, unknown> & {
  codes?: string;
  ranges?: RangeValue[];
  batchIds?: string[];
  lotIds?: string[];
  eventTime?: Dayjs | null;
  btType?: string;
  btId?: string;
};

const text = (v: unknown): string | undefined =>
  typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
const compact = <T extends Record<string, unknown>>(o: T): Partial<T> =>
  Object.fromEntries(
    Object.entries(o).filter(
      ([, v]) => v !== undefined && v !== null && !(Array.isArray(v) && v.length === 0),
    ),
  ) as Partial<T>;

/** Codes that are not trace codes (length, digits, check digit), as the server would refuse them. */
function badCodes(codes: readonly string[]): string[] {
  return codes.filter((c) => parseCode(c).type === 'error');
}

function codeRules(
  t: Translate,
  required: boolean,
  form: ReturnType<typeof Form.useForm<Values>>[0],
): Rule[] {
  return [
    {
      validator: (_r, v: string | undefined) => {
        const codes = parseCodes(v);
        const bad = badCodes(codes);
        if (bad.length > 0)
          return Promise.reject(new Error(t('traceActions.badCodes', { codes: bad.slice(0, 3).join('、') })));
        if (codes.length > 10_000) return Promise.reject(new Error(t('traceActions.tooManyCodes')));
        const others =
          ((form.getFieldValue('ranges') as RangeValue[] | undefined) ?? []).length +
          ((form.getFieldValue('batchIds') as string[] | undefined) ?? []).length +
          ((form.getFieldValue('lotIds') as string[] | undefined) ?? []).length;
        if (required && codes.length === 0 && others === 0)
          return Promise.reject(new Error(t('traceActions.noTargets')));
        return Promise.resolve();
      },
    },
  ];
}

/** Targets: scanned / pasted codes, plus batches and raw-material lots as a whole. */
function Targets({ form }: { readonly form: ReturnType<typeof Form.useForm<Values>>[0] }): ReactNode {
  const { t } = useI18n();
  const codes = Form.useWatch('codes', form);
  const n = parseCodes(codes).length;
  return (
    <>
      <Form.Item
        name="codes"
        label={t('traceActions.codes')}
        extra={n > 0 ? t('traceActions.codesCount', { n }) : t('traceActions.codesHelp')}
        rules={codeRules(t, true, form)}
      >
        <Input.TextArea
          rows={4}
          placeholder={t('traceActions.codesPlaceholder')}
          style={{ fontFamily: 'monospace' }}
        />
      </Form.Item>
      <Form.Item label={t('traceActions.ranges')} extra={t('traceActions.rangesHelp')}>
        <Form.List name="ranges">
          {(fields, { add, remove }, { errors }) => (
            <Flex vertical gap={8}>
              {fields.map((f) => (
                <Space key={f.key} align="baseline" wrap>
                  <Form.Item
                    name={[f.name, 'jobId']}
                    rules={[{ required: true, message: t('rules.required') }]}
                    style={{ marginBottom: 0 }}
                  >
                    <JobSelect style={{ width: 300 }} />
                  </Form.Item>
                  <Form.Item
                    name={[f.name, 'from']}
                    rules={[{ required: true, message: t('rules.required') }]}
                    style={{ marginBottom: 0 }}
                  >
                    <InputNumber
                      min={1}
                      precision={0}
                      placeholder={t('traceActions.rangeFrom')}
                      style={{ width: 130 }}
                    />
                  </Form.Item>
                  <Form.Item
                    name={[f.name, 'to']}
                    dependencies={[['ranges', f.name, 'from']]}
                    rules={[
                      { required: true, message: t('rules.required') },
                      {
                        validator: (_r, to: number | null | undefined) => {
                          const from = form.getFieldValue(['ranges', f.name, 'from']) as
                            number | null | undefined;
                          return typeof to === 'number' && typeof from === 'number' && to < from
                            ? Promise.reject(new Error(t('traceActions.rangeOrder')))
                            : Promise.resolve();
                        },
                      },
                    ]}
                    style={{ marginBottom: 0 }}
                  >
                    <InputNumber
                      min={1}
                      precision={0}
                      placeholder={t('traceActions.rangeTo')}
                      style={{ width: 130 }}
                    />
                  </Form.Item>
                  <MinusCircleOutlined
                    aria-label={t('common.delete')}
                    onClick={() => {
                      remove(f.name);
                      void form.validateFields(['codes']);
                    }}
                  />
                </Space>
              ))}
              <Button
                type="dashed"
                icon={<PlusOutlined />}
                onClick={() => {
                  add({});
                  void form.validateFields(['codes']);
                }}
                style={{ alignSelf: 'flex-start' }}
              >
                {t('traceActions.addRange')}
              </Button>
              <Form.ErrorList errors={errors} />
            </Flex>
          )}
        </Form.List>
      </Form.Item>
      <Row gutter={16}>
        <Col xs={24} md={12}>
          <Form.Item name="batchIds" label={t('traceActions.batches')} extra={t('traceActions.batchesHelp')}>
            <BatchSelect multiple onChange={() => void form.validateFields(['codes'])} />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item name="lotIds" label={t('traceActions.lots')}>
            <LotSelect multiple onChange={() => void form.validateFields(['codes'])} />
          </Form.Item>
        </Col>
      </Row>
    </>
  );
}

const required = (t: Translate): Rule => ({ required: true, whitespace: true, message: t('rules.required') });
const max = (t: Translate, n: number): Rule => ({ max: n, message: t('rules.maxLength', { max: n }) });

/** A place or a party: a 13-digit GLN (check digit verified by the server), a URI or a name. */
function RefInput({
  name,
  label,
  kind,
  need,
}: {
  name: string;
  label: string;
  kind: 'site' | 'party';
  need?: boolean;
}): ReactNode {
  const { t } = useI18n();
  return (
    <Form.Item
      name={name}
      label={label}
      tooltip={t(kind === 'site' ? 'traceActions.siteHelp' : 'traceActions.partyHelp')}
      rules={[...(need === true ? [required(t)] : []), max(t, 300)]}
    >
      <Input
        placeholder={t(kind === 'site' ? 'traceActions.sitePlaceholder' : 'traceActions.partyPlaceholder')}
      />
    </Form.Item>
  );
}

function WhenField(): ReactNode {
  const { t } = useI18n();
  return (
    <Form.Item name="eventTime" label={t('traceActions.eventTime')} extra={t('traceActions.eventTimeHelp')}>
      <DatePicker
        showTime={{ format: 'HH:mm' }}
        format="YYYY-MM-DD HH:mm"
        style={{ width: '100%' }}
        disabledDate={(d) => d.isAfter(dayjs().endOf('day'))}
      />
    </Form.Item>
  );
}

function BizTransaction(): ReactNode {
  const { t } = useI18n();
  return (
    <Form.Item label={t('traceActions.bizTransaction')} tooltip={t('traceActions.bizTransactionHelp')}>
      <Space.Compact style={{ width: '100%' }}>
        <Form.Item name="btType" noStyle initialValue="desadv">
          <Select
            aria-label={t('traceActions.bizTransactionType')}
            style={{ width: 150 }}
            options={CBV_BIZ_TRANSACTION_TYPES.map((v) => ({ value: v, label: cbvWord(t, 'btt', v) }))}
          />
        </Form.Item>
        <Form.Item name="btId" noStyle rules={[max(t, 200)]}>
          <Input
            aria-label={t('traceActions.bizTransactionNumber')}
            placeholder={t('traceActions.bizTransactionNumber')}
          />
        </Form.Item>
      </Space.Compact>
    </Form.Item>
  );
}

function UnitSelect(props: {
  readonly value?: string;
  readonly onChange?: (v: string) => void;
  readonly id?: string;
}): ReactNode {
  const { t } = useI18n();
  return (
    <Select
      {...props}
      allowClear
      placeholder={t('traceActions.unit')}
      options={UNITS.map((u) => ({ value: u, label: `${cbvWord(t, 'unit', u)} (${u})` }))}
    />
  );
}

/** The values of a stage template's fields, typed as the template says. */
function StageValues({ template }: { readonly template: Template | undefined }): ReactNode {
  const { t } = useI18n();
  if (template === undefined) return null;
  if (template.fields.length === 0) return <Alert type="info" showIcon title={t('traceActions.noFields')} />;
  return (
    <Row gutter={16}>
      {template.fields.map((f) => {
        const rules: Rule[] = f.required ? [{ required: true, message: t('rules.required') }] : [];
        const label = f.unit === undefined ? f.label : `${f.label}（${f.unit}）`;
        const input =
          f.type === 'number' ? (
            <InputNumber style={{ width: '100%' }} />
          ) : f.type === 'date' ? (
            <DatePicker style={{ width: '100%' }} />
          ) : f.type === 'select' ? (
            <Select allowClear options={(f.options ?? []).map((o) => ({ value: o, label: o }))} />
          ) : f.type === 'file' ? (
            <Input placeholder={t('traceActions.fileIdPlaceholder')} />
          ) : (
            <Input />
          );
        return (
          <Col xs={24} md={12} key={f.key}>
            <Form.Item name={['values', f.key]} label={label} rules={rules}>
              {input}
            </Form.Item>
          </Col>
        );
      })}
    </Row>
  );
}

/** A picked date-time read as Beijing wall-clock time (the console's time), ISO 8601 with its offset. */
const beijingIso = (d: Dayjs): string => `${d.format('YYYY-MM-DDTHH:mm:ss')}+08:00`;

function targetsOf(v: Values): Record<string, unknown> {
  return compact({
    codes: parseCodes(v.codes),
    ranges: (v.ranges ?? []).map((r) => ({ jobId: r.jobId, from: r.from, to: r.to })),
    batches: (v.batchIds ?? []).map((batchId) => ({ batchId })),
    lots: (v.lotIds ?? []).map((lotId) => ({ lotId })),
  });
}

/** The request body of an action from the form's values. */
function bodyOf(action: ActionName, v: Values, template: Template | undefined): Record<string, unknown> {
  const common = compact({
    eventTime: v.eventTime == null ? undefined : beijingIso(v.eventTime),
    location: text(v['location']),
  });
  const bt = text(v.btId) === undefined ? undefined : [{ type: v.btType ?? 'desadv', id: text(v.btId) }];
  switch (action) {
    case 'receive-materials':
      return compact({
        supplier: text(v['supplier']),
        supplierName: text(v['supplierName']),
        receivedDate: dayjs.isDayjs(v['receivedDate']) ? v['receivedDate'].format('YYYY-MM-DD') : undefined,
        bizTransactions: bt,
        ...common,
        lots: ((v['lots'] as Record<string, unknown>[] | undefined) ?? []).map((l) =>
          compact({
            material: text(l['material']),
            materialGtin: text(l['materialGtin']),
            lot: text(l['lot']),
            quantity: l['quantity'],
            unit: l['unit'],
          }),
        ),
      });
    case 'produce':
      return compact({
        batchId: v['batchId'],
        inputs: ((v['inputs'] as Record<string, unknown>[] | undefined) ?? []).map((i) =>
          compact({ lotId: i['lotId'], quantity: i['quantity'], unit: i['unit'] }),
        ),
        outputQuantity: v['outputQuantity'] ?? undefined,
        outputUnit: v['outputUnit'] ?? undefined,
        codes: parseCodes(v.codes),
        ...common,
      });
    case 'pack':
      return { parent: text(v['parent']), children: parseCodes(v['children'] as string | undefined) };
    case 'warehouse-in':
    case 'warehouse-out':
      return { ...targetsOf(v), warehouse: text(v['location']), ...compact({ eventTime: common.eventTime }) };
    case 'ship':
      return compact({
        ...targetsOf(v),
        to: text(v['to']),
        toLocation: text(v['toLocation']),
        from: text(v['from']),
        fromLocation: text(v['fromLocation']),
        bizTransactions: bt,
        eventTime: common.eventTime,
      });
    case 'receive':
      return compact({
        ...targetsOf(v),
        at: text(v['location']),
        receiver: text(v['receiver']),
        from: text(v['from']),
        bizTransactions: bt,
        eventTime: common.eventTime,
      });
    case 'retail-sale':
      return compact({ ...targetsOf(v), store: text(v['location']), eventTime: common.eventTime });
    case 'inspection':
      return compact({
        ...targetsOf(v),
        result: v['result'],
        inspector: text(v['inspector']),
        note: text(v['note']),
        measurements: ((v['measurements'] as Record<string, unknown>[] | undefined) ?? []).map((m) =>
          compact({ type: m['type'], value: m['value'], unit: m['unit'] }),
        ),
        ...common,
      });
    case 'recall':
    case 'destroy':
      return compact({ ...targetsOf(v), reason: text(v['reason']), ...common });
    case 'record-stage': {
      const values: Record<string, string | number> = {};
      for (const f of template?.fields ?? []) {
        const x = (v['values'] as Record<string, unknown> | undefined)?.[f.key];
        if (x === undefined || x === null || x === '') continue;
        values[f.key] = dayjs.isDayjs(x) ? x.format('YYYY-MM-DD') : (x as string | number);
      }
      return compact({ ...targetsOf(v), templateId: v['templateId'], values, ...common });
    }
  }
}

/** Sends an action; packing goes to the line API. */
async function send(action: ActionName, body: Record<string, unknown>): Promise<ActionOutcome> {
  if (action === 'pack') {
    const r = await data(
      api.POST('/api/v1/line/pack', { body: body as { parent: string; children: string[] } }),
    );
    return { action, eventIds: [], packed: r.packed };
  }
  const path = `/api/v1/trace-actions/${action}` as '/api/v1/trace-actions/ship';
  const r = await data(api.POST(path, { body: body as never }));
  return { action, eventIds: r.eventIds, ...(r.lots === undefined ? {} : { lots: r.lots }) };
}

/** The form of one action; `onDone` gets what was stored. */
export function ActionForm({
  action,
  onDone,
}: {
  readonly action: ActionName;
  readonly onDone: (outcome: ActionOutcome) => void;
}): ReactNode {
  const { t } = useI18n();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [template, setTemplate] = useState<Template>();
  const [lotUnits, setLotUnits] = useState<Record<number, string>>({});

  const submit = async (v: Values): Promise<void> => {
    setBusy(true);
    setError(undefined);
    try {
      const outcome = await send(action, bodyOf(action, v, template));
      onDone(outcome);
      form.resetFields();
      setTemplate(undefined);
    } catch (e) {
      setError(placeError(form, t, e, codeFields));
    } finally {
      setBusy(false);
    }
  };

  const place = (kind: 'warehouse' | 'store' | 'at' | 'location', need: boolean): ReactNode => (
    <RefInput name="location" kind="site" need={need} label={t(`traceActions.${kind}` as MessageKey)} />
  );

  const fields = (): ReactNode => {
    switch (action) {
      case 'receive-materials':
        return (
          <>
            <Row gutter={16}>
              <Col xs={24} md={12}>
                <RefInput name="supplier" kind="party" need label={t('traceActions.supplier')} />
              </Col>
              <Col xs={24} md={12}>
                <Form.Item name="supplierName" label={t('traceActions.supplierName')} rules={[max(t, 200)]}>
                  <Input />
                </Form.Item>
              </Col>
              <Col xs={24} md={12}>
                {place('location', false)}
              </Col>
              <Col xs={24} md={12}>
                <Form.Item name="receivedDate" label={t('traceActions.receivedDate')}>
                  <DatePicker style={{ width: '100%' }} />
                </Form.Item>
              </Col>
              <Col xs={24} md={12}>
                <BizTransaction />
              </Col>
              <Col xs={24} md={12}>
                <WhenField />
              </Col>
            </Row>
            <Divider titlePlacement="start">{t('traceActions.materialLots')}</Divider>
            <Form.List name="lots" initialValue={[{ unit: 'KGM' }]}>
              {(items, { add, remove }) => (
                <>
                  {items.map((item) => (
                    <Row gutter={8} key={item.key} align="top">
                      <Col xs={24} md={6}>
                        <Form.Item
                          name={[item.name, 'material']}
                          label={t('traceActions.material')}
                          rules={[required(t), max(t, 200)]}
                        >
                          <Input placeholder={t('traceActions.materialPlaceholder')} />
                        </Form.Item>
                      </Col>
                      <Col xs={12} md={5}>
                        <Form.Item
                          name={[item.name, 'lot']}
                          label={t('traceActions.lotNumber')}
                          rules={[required(t), max(t, 64)]}
                        >
                          <Input />
                        </Form.Item>
                      </Col>
                      <Col xs={12} md={4}>
                        <Form.Item
                          name={[item.name, 'materialGtin']}
                          label={t('traceActions.materialGtin')}
                          rules={[{ pattern: /^\d{8,14}$/, message: t('rules.gtinInvalid') }]}
                        >
                          <Input />
                        </Form.Item>
                      </Col>
                      <Col xs={12} md={4}>
                        <Form.Item
                          name={[item.name, 'quantity']}
                          label={t('traceActions.quantity')}
                          rules={[{ required: true, message: t('rules.required') }]}
                        >
                          <InputNumber min={0.000001} style={{ width: '100%' }} />
                        </Form.Item>
                      </Col>
                      <Col xs={10} md={4}>
                        <Form.Item
                          name={[item.name, 'unit']}
                          label={t('traceActions.unit')}
                          rules={[{ required: true, message: t('rules.required') }]}
                        >
                          <UnitSelect />
                        </Form.Item>
                      </Col>
                      <Col xs={2} md={1}>
                        {items.length > 1 ? (
                          <MinusCircleOutlined
                            aria-label={t('common.delete')}
                            style={{ marginTop: 38 }}
                            onClick={() => remove(item.name)}
                          />
                        ) : null}
                      </Col>
                    </Row>
                  ))}
                  <Button
                    type="dashed"
                    icon={<PlusOutlined />}
                    onClick={() => add({ unit: 'KGM' })}
                    disabled={items.length >= 100}
                    style={{ marginBottom: 24 }}
                  >
                    {t('traceActions.addLot')}
                  </Button>
                </>
              )}
            </Form.List>
          </>
        );
      case 'produce':
        return (
          <>
            <Row gutter={16}>
              <Col xs={24} md={12}>
                <Form.Item
                  name="batchId"
                  label={t('traceActions.batch')}
                  rules={[{ required: true, message: t('rules.required') }]}
                >
                  <BatchSelect />
                </Form.Item>
              </Col>
              <Col xs={12} md={6}>
                <Form.Item name="outputQuantity" label={t('traceActions.outputQuantity')}>
                  <InputNumber min={0.000001} style={{ width: '100%' }} />
                </Form.Item>
              </Col>
              <Col xs={12} md={6}>
                <Form.Item name="outputUnit" label={t('traceActions.unit')}>
                  <UnitSelect />
                </Form.Item>
              </Col>
            </Row>
            <Divider titlePlacement="start">{t('traceActions.inputs')}</Divider>
            <Form.List
              name="inputs"
              initialValue={[{}]}
              rules={[
                {
                  validator: (_r, list: unknown[] | undefined) => {
                    if ((list ?? []).length === 0)
                      return Promise.reject(new Error(t('traceActions.needInput')));
                    return Promise.resolve();
                  },
                },
              ]}
            >
              {(items, { add, remove }, { errors }) => (
                <>
                  {items.map((item) => (
                    <Row gutter={8} key={item.key}>
                      <Col xs={24} md={12}>
                        <Form.Item
                          name={[item.name, 'lotId']}
                          label={t('traceActions.rawLot')}
                          rules={[{ required: true, message: t('rules.required') }]}
                        >
                          <LotSelect
                            onPicked={(l) =>
                              l !== undefined && setLotUnits((u) => ({ ...u, [item.name]: l.unit }))
                            }
                          />
                        </Form.Item>
                      </Col>
                      <Col xs={12} md={6}>
                        <Form.Item
                          name={[item.name, 'quantity']}
                          label={t('traceActions.used')}
                          extra={
                            lotUnits[item.name] === undefined
                              ? undefined
                              : cbvWord(t, 'unit', lotUnits[item.name])
                          }
                          rules={[{ required: true, message: t('rules.required') }]}
                        >
                          <InputNumber min={0.000001} style={{ width: '100%' }} />
                        </Form.Item>
                      </Col>
                      <Col xs={10} md={5}>
                        <Form.Item
                          name={[item.name, 'unit']}
                          label={t('traceActions.unit')}
                          tooltip={t('traceActions.inputUnitHelp')}
                        >
                          <UnitSelect />
                        </Form.Item>
                      </Col>
                      <Col xs={2} md={1}>
                        {items.length > 1 ? (
                          <MinusCircleOutlined style={{ marginTop: 38 }} onClick={() => remove(item.name)} />
                        ) : null}
                      </Col>
                    </Row>
                  ))}
                  <Form.ErrorList errors={errors} />
                  <Button
                    type="dashed"
                    icon={<PlusOutlined />}
                    onClick={() => add({})}
                    style={{ marginBottom: 8 }}
                  >
                    {t('traceActions.addInput')}
                  </Button>
                </>
              )}
            </Form.List>
            <Divider titlePlacement="start">{t('traceActions.outputs')}</Divider>
            <Form.Item
              name="codes"
              label={t('traceActions.outputCodes')}
              extra={t('traceActions.outputCodesHelp')}
              rules={codeRules(t, false, form)}
            >
              <Input.TextArea
                rows={3}
                placeholder={t('traceActions.codesPlaceholder')}
                style={{ fontFamily: 'monospace' }}
              />
            </Form.Item>
            <Row gutter={16}>
              <Col xs={24} md={12}>
                {place('location', false)}
              </Col>
              <Col xs={24} md={12}>
                <WhenField />
              </Col>
            </Row>
          </>
        );
      case 'pack':
        return (
          <>
            <Form.Item
              name="parent"
              label={t('traceActions.parent')}
              extra={t('traceActions.parentHelp')}
              getValueFromEvent={(e: { target: { value: string } }) =>
                parseCodes(e.target.value)[0] ?? e.target.value
              }
              rules={[
                required(t),
                {
                  validator: (_r, v: string | undefined) => {
                    if (v !== undefined && v !== '' && badCodes([v]).length > 0) {
                      return Promise.reject(new Error(t('traceActions.badCodes', { codes: v })));
                    }
                    return Promise.resolve();
                  },
                },
              ]}
            >
              <Input style={{ fontFamily: 'monospace' }} />
            </Form.Item>
            <Form.Item
              name="children"
              label={t('traceActions.children')}
              rules={[
                {
                  validator: (_r, v: string | undefined) => {
                    const codes = parseCodes(v);
                    if (codes.length === 0) return Promise.reject(new Error(t('rules.required')));
                    const bad = badCodes(codes);
                    if (bad.length > 0)
                      return Promise.reject(
                        new Error(t('traceActions.badCodes', { codes: bad.slice(0, 3).join('、') })),
                      );
                    return Promise.resolve();
                  },
                },
              ]}
            >
              <Input.TextArea
                rows={6}
                placeholder={t('traceActions.codesPlaceholder')}
                style={{ fontFamily: 'monospace' }}
              />
            </Form.Item>
          </>
        );
      case 'warehouse-in':
      case 'warehouse-out':
      case 'retail-sale':
        return (
          <>
            <Targets form={form} />
            <Row gutter={16}>
              <Col xs={24} md={12}>
                {place(action === 'retail-sale' ? 'store' : 'warehouse', true)}
              </Col>
              <Col xs={24} md={12}>
                <WhenField />
              </Col>
            </Row>
          </>
        );
      case 'ship':
        return (
          <>
            <Targets form={form} />
            <Row gutter={16}>
              <Col xs={24} md={12}>
                <RefInput name="to" kind="party" need label={t('traceActions.to')} />
              </Col>
              <Col xs={24} md={12}>
                <RefInput name="toLocation" kind="site" label={t('traceActions.toLocation')} />
              </Col>
              <Col xs={24} md={12}>
                <RefInput name="from" kind="party" label={t('traceActions.from')} />
              </Col>
              <Col xs={24} md={12}>
                <RefInput name="fromLocation" kind="site" label={t('traceActions.fromLocation')} />
              </Col>
              <Col xs={24} md={12}>
                <BizTransaction />
              </Col>
              <Col xs={24} md={12}>
                <WhenField />
              </Col>
            </Row>
          </>
        );
      case 'receive':
        return (
          <>
            <Targets form={form} />
            <Row gutter={16}>
              <Col xs={24} md={12}>
                {place('at', true)}
              </Col>
              <Col xs={24} md={12}>
                <RefInput name="receiver" kind="party" label={t('traceActions.receiver')} />
              </Col>
              <Col xs={24} md={12}>
                <RefInput name="from" kind="party" label={t('traceActions.from')} />
              </Col>
              <Col xs={24} md={12}>
                <BizTransaction />
              </Col>
              <Col xs={24} md={12}>
                <WhenField />
              </Col>
            </Row>
          </>
        );
      case 'inspection':
        return (
          <>
            <Targets form={form} />
            <Row gutter={16}>
              <Col xs={24} md={12}>
                <Form.Item
                  name="result"
                  label={t('traceActions.result')}
                  rules={[{ required: true, message: t('rules.required') }]}
                >
                  <Radio.Group
                    optionType="button"
                    buttonStyle="solid"
                    options={[
                      { value: 'pass', label: t('traceActions.pass') },
                      { value: 'fail', label: t('traceActions.fail') },
                    ]}
                  />
                </Form.Item>
              </Col>
              <Col xs={24} md={12}>
                <Form.Item
                  name="inspector"
                  label={t('traceActions.inspector')}
                  rules={[required(t), max(t, 100)]}
                >
                  <Input />
                </Form.Item>
              </Col>
            </Row>
            <Form.Item name="note" label={t('traceActions.note')} rules={[max(t, 1000)]}>
              <Input.TextArea rows={2} />
            </Form.Item>
            <Form.List name="measurements">
              {(items, { add, remove }) => (
                <>
                  {items.map((item) => (
                    <Row gutter={8} key={item.key}>
                      <Col xs={24} md={9}>
                        <Form.Item
                          name={[item.name, 'type']}
                          label={t('traceActions.measurement')}
                          rules={[{ required: true, message: t('rules.required') }]}
                        >
                          <Select
                            options={MEASUREMENTS.map((m) => ({
                              value: m,
                              label: t(`traceActions.m_${m.slice(4)}` as MessageKey),
                            }))}
                          />
                        </Form.Item>
                      </Col>
                      <Col xs={12} md={7}>
                        <Form.Item
                          name={[item.name, 'value']}
                          label={t('traceActions.value')}
                          rules={[{ required: true, message: t('rules.required') }]}
                        >
                          <InputNumber style={{ width: '100%' }} />
                        </Form.Item>
                      </Col>
                      <Col xs={10} md={7}>
                        <Form.Item
                          name={[item.name, 'unit']}
                          label={t('traceActions.unit')}
                          rules={[{ pattern: /^[A-Z0-9]{2,3}$/, message: t('traceActions.unitCode') }]}
                        >
                          <Input placeholder="CEL" />
                        </Form.Item>
                      </Col>
                      <Col xs={2} md={1}>
                        <MinusCircleOutlined style={{ marginTop: 38 }} onClick={() => remove(item.name)} />
                      </Col>
                    </Row>
                  ))}
                  <Button
                    type="dashed"
                    icon={<PlusOutlined />}
                    onClick={() => add({ type: 'gs1:Temperature', unit: 'CEL' })}
                    style={{ marginBottom: 24 }}
                  >
                    {t('traceActions.addMeasurement')}
                  </Button>
                </>
              )}
            </Form.List>
            <Row gutter={16}>
              <Col xs={24} md={12}>
                {place('location', false)}
              </Col>
              <Col xs={24} md={12}>
                <WhenField />
              </Col>
            </Row>
          </>
        );
      case 'recall':
      case 'destroy':
        return (
          <>
            <Targets form={form} />
            <Form.Item
              name="reason"
              label={t('traceActions.reason')}
              rules={[...(action === 'recall' ? [required(t)] : []), max(t, 500)]}
            >
              <Input.TextArea rows={2} placeholder={t(`traceActions.reasonPlaceholder_${action}`)} />
            </Form.Item>
            <Row gutter={16}>
              <Col xs={24} md={12}>
                {place('location', false)}
              </Col>
              <Col xs={24} md={12}>
                <WhenField />
              </Col>
            </Row>
          </>
        );
      case 'record-stage':
        return (
          <>
            <Form.Item
              name="templateId"
              label={t('traceActions.template')}
              rules={[{ required: true, message: t('rules.required') }]}
            >
              <TemplateSelect onPicked={setTemplate} />
            </Form.Item>
            <StageValues template={template} />
            <Targets form={form} />
            <Row gutter={16}>
              <Col xs={24} md={12}>
                {place('location', false)}
              </Col>
              <Col xs={24} md={12}>
                <WhenField />
              </Col>
            </Row>
          </>
        );
    }
  };

  return (
    <Form form={form} layout="vertical" onFinish={(v) => void submit(v)} scrollToFirstError>
      {fields()}
      {error === undefined ? null : (
        <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} />
      )}
      <Space>
        <Button type="primary" htmlType="submit" loading={busy}>
          {t(`traceActions.submit_${action}` as MessageKey)}
        </Button>
        <Button
          onClick={() => {
            form.resetFields();
            setError(undefined);
          }}
        >
          {t('traceActions.reset')}
        </Button>
        <Typography.Text type="secondary">{t('traceActions.beijingNote')}</Typography.Text>
      </Space>
    </Form>
  );
}
