/**
 * The line-side packing station (包装作业站), made for a hand scanner: a scanner gun types the
 * code and Enter into the one input that always has the focus. Pack: scan the parent (box, case
 * or pallet), then its children, then the parent again (or Ctrl+Enter) to submit. Unpack: the
 * parent, then the children to take out (or all). Replace a damaged label: the old code, then
 * the new one. Inspect: any code's packing tree. Each scan is checked at once and answered in
 * large type, in words, with a sound.
 */
import { useCallback, useEffect, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import {
  Button,
  Card,
  Col,
  Empty,
  Flex,
  Input,
  List,
  Row,
  Segmented,
  Space,
  Statistic,
  Tag,
  Tree,
  Typography,
  type InputRef,
  type TreeDataNode,
} from 'antd';
import {
  CheckCircleFilled,
  CloseCircleFilled,
  DeleteOutlined,
  InfoCircleFilled,
  ScanOutlined,
  UndoOutlined,
} from '@ant-design/icons';
import { api, ApiError, data } from '../../api/client.js';
import { errorText } from '../../api/errors.js';
import type { paths } from '../../api/schema.js';
import { useI18n, type MessageKey } from '../../i18n/index.js';
import { Page } from '../../components/page.js';
import { readScan } from '../codes/scanned-codes.js';

/** One code as the API shows its owner. */
type CodeInfo = paths['/api/v1/codes/{code}']['get']['responses'][200]['content']['application/json'];
type Mode = 'pack' | 'unpack' | 'replace' | 'inspect';
type Level = CodeInfo['packingLevel'];

const levelRank: Readonly<Record<Level, number>> = { item: 0, box: 1, case: 2, pallet: 3 };

interface Feedback {
  readonly tone: 'ok' | 'error' | 'info';
  readonly title: string;
  readonly detail?: string;
}

/** What the station is working on: the parent (or old label), the children, the new label. */
interface Task {
  readonly parent?: CodeInfo;
  readonly children: readonly CodeInfo[];
  readonly fresh?: CodeInfo;
}

interface LogEntry {
  readonly at: number;
  readonly code: string;
  readonly tone: Feedback['tone'];
  readonly text: string;
}

const tones = {
  ok: { background: '#f6ffed', border: '#b7eb8f', color: '#389e0d', icon: <CheckCircleFilled /> },
  error: { background: '#fff2f0', border: '#ffccc7', color: '#cf1322', icon: <CloseCircleFilled /> },
  info: { background: '#e6f4ff', border: '#91caff', color: '#0958d9', icon: <InfoCircleFilled /> },
} as const;

/** A short beep: high for a good scan, low and longer for a refused one (the line is noisy). */
function beep(tone: Feedback['tone']): void {
  try {
    const audio = new AudioContext();
    const osc = audio.createOscillator();
    const gain = audio.createGain();
    osc.frequency.value = tone === 'error' ? 220 : 880;
    gain.gain.value = 0.08;
    osc.connect(gain).connect(audio.destination);
    osc.start();
    osc.stop(audio.currentTime + (tone === 'error' ? 0.35 : 0.08));
    osc.onended = () => void audio.close();
  } catch {
    // No sound device: the screen says it all.
  }
}

const mono = { fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace' } as const;

export default function PackingScreen(): ReactNode {
  const { t } = useI18n();
  const input = useRef<InputRef>(null);
  const [mode, setModeState] = useState<Mode>('pack');
  const [value, setValue] = useState('');
  // A scanner gun sends codes faster than the API answers: scans run one after another (a
  // queue), and read the task from a ref, which is always current, not from the last render.
  const [task, setTaskState] = useState<Task>({ children: [] });
  const taskRef = useRef<Task>(task);
  const modeRef = useRef<Mode>(mode);
  const queue = useRef<Promise<void>>(Promise.resolve());
  const setTask = (next: Task): void => {
    taskRef.current = next;
    setTaskState(next);
  };
  const setMode = (next: Mode): void => {
    modeRef.current = next;
    setModeState(next);
  };
  const enqueue = (work: () => Promise<void> | void): void => {
    queue.current = queue.current.then(work).catch(() => undefined);
  };
  const { parent, children, fresh } = task;
  const [tree, setTree] = useState<CodeInfo>();
  const [feedback, setFeedback] = useState<Feedback>({ tone: 'info', title: t('packing.ready_pack') });
  const [log, setLog] = useState<readonly LogEntry[]>([]);
  const [busy, setBusy] = useState(false);

  const level = (l: Level): string => t(`packing.level_${l}`);
  const focus = useCallback(() => input.current?.focus(), []);
  useEffect(() => {
    focus();
  }, [focus, mode, busy]);

  const say = (code: string, f: Feedback): void => {
    setFeedback(f);
    beep(f.tone);
    setLog((l) => [{ at: Date.now(), code, tone: f.tone, text: f.title }, ...l].slice(0, 30));
  };

  /** The words for a failed call, with the code it names when the server says which. */
  const failure = (e: unknown): Feedback => {
    const named = e instanceof ApiError ? /\d{15,21}/.exec(e.message)?.[0] : undefined;
    return {
      tone: 'error',
      title: errorText(t, e),
      ...(named === undefined ? {} : { detail: t('packing.codeNamed', { code: named }) }),
    };
  };

  const reset = (next: Mode = modeRef.current, keepFeedback = false): void => {
    setTask({ children: [] });
    if (!keepFeedback) setFeedback({ tone: 'info', title: t(`packing.ready_${next}`) });
  };

  const lookup = async (code: string): Promise<CodeInfo> =>
    data(api.GET('/api/v1/codes/{code}', { params: { path: { code } } }));

  const showTree = async (code: string): Promise<void> => {
    try {
      setTree(await lookup(code));
    } catch {
      setTree(undefined);
    }
  };

  const submit = async (): Promise<void> => {
    const mode = modeRef.current;
    const { parent, children, fresh } = taskRef.current;
    setBusy(true);
    try {
      if (mode === 'pack' && parent !== undefined && children.length > 0) {
        const r = await data(
          api.POST('/api/v1/line/pack', {
            body: { parent: parent.code, children: children.map((c) => c.code) },
          }),
        );
        say(parent.code, {
          tone: 'ok',
          title: t('packing.packed', { n: r.packed, level: level(parent.packingLevel) }),
          detail: t('packing.packedDetail', { code: parent.code }),
        });
        await showTree(parent.code);
        reset(mode, true);
      } else if (mode === 'unpack' && parent !== undefined) {
        const r = await data(
          api.POST('/api/v1/line/unpack', {
            body: {
              parent: parent.code,
              ...(children.length > 0 ? { children: children.map((c) => c.code) } : {}),
            },
          }),
        );
        say(parent.code, {
          tone: 'ok',
          title: t('packing.unpacked', { n: r.unpacked }),
          detail: t('packing.packedDetail', { code: parent.code }),
        });
        await showTree(parent.code);
        reset(mode, true);
      } else if (mode === 'replace' && parent !== undefined && fresh !== undefined) {
        const r = await data(
          api.POST('/api/v1/line/replace', { body: { old: parent.code, new: fresh.code } }),
        );
        say(r.new, {
          tone: 'ok',
          title: t('packing.replaced'),
          detail: t('packing.replacedDetail', { old: r.old, new: r.new }),
        });
        await showTree(r.new);
        reset(mode, true);
      }
    } catch (e) {
      say(parent?.code ?? '', failure(e));
    } finally {
      setBusy(false);
    }
  };

  const scan = async (text: string): Promise<void> => {
    const mode = modeRef.current;
    const { parent, children } = taskRef.current;
    if (text.trim() === '') {
      // Enter on an empty input confirms what is ready (a replacement, an unpack of all).
      if (mode === 'replace' || mode === 'unpack') await submit();
      return;
    }
    const read = readScan(text);
    if (read.type === 'problem') {
      say(text.trim(), { tone: 'error', title: t(`codes.scan_${read.reason}`), detail: text.trim() });
      return;
    }
    const code = read.code;
    if (mode === 'pack' && parent !== undefined && code === parent.code) {
      if (children.length === 0) say(code, { tone: 'error', title: t('packing.nothingToPack') });
      else await submit();
      return;
    }
    let info: CodeInfo;
    setBusy(true);
    try {
      info = await lookup(code);
    } catch (e) {
      say(code, failure(e));
      return;
    } finally {
      setBusy(false);
    }
    const refuse = (key: MessageKey, values?: Record<string, string | number>): void =>
      say(code, { tone: 'error', title: t(key, values), detail: code });
    if (mode === 'inspect') {
      setTree(info);
      say(code, {
        tone: 'info',
        title: t('packing.inspected', {
          level: level(info.packingLevel),
          status: t(`packing.status_${info.status}`),
        }),
        detail: code,
      });
      return;
    }
    if (info.status === 'voided') {
      refuse('packing.voided', { code: info.replacedBy ?? '—' });
      return;
    }
    if (mode === 'pack' || mode === 'unpack') {
      if (parent === undefined) {
        if (info.packingLevel === 'item') return refuse('packing.itemAsParent');
        if (mode === 'unpack' && info.childCount === 0) return refuse('packing.emptyParent');
        setTask({ parent: info, children: [] });
        setTree(info);
        say(code, {
          tone: 'info',
          title: t(mode === 'pack' ? 'packing.parentSet' : 'packing.unpackParentSet', {
            level: level(info.packingLevel),
            n: info.childCount,
          }),
          detail: code,
        });
        return;
      }
      if (children.some((c) => c.code === code)) return refuse('packing.duplicate');
      if (mode === 'unpack') {
        if (info.parent !== parent.code) return refuse('packing.notInParent');
      } else {
        if (info.status !== 'active') return refuse('packing.notActive');
        if (levelRank[info.packingLevel] >= levelRank[parent.packingLevel])
          return refuse('packing.levelTooHigh', {
            child: level(info.packingLevel),
            parent: level(parent.packingLevel),
          });
        if (info.parent === parent.code) return refuse('packing.alreadyInParent');
      }
      const next = [...children, info];
      setTask({ parent, children: next });
      say(code, {
        tone: 'ok',
        title: t('packing.childAdded', { n: next.length }),
        detail: mode === 'pack' && info.parent !== null ? t('packing.willMove', { from: info.parent }) : code,
      });
      return;
    }
    // Replace: the damaged label, then the new one.
    if (parent === undefined) {
      if (info.status !== 'active') return refuse('packing.notActive');
      setTask({ parent: info, children: [] });
      setTree(info);
      say(code, { tone: 'info', title: t('packing.oldSet'), detail: code });
      return;
    }
    if (code === parent.code) return refuse('packing.sameCode');
    if (info.status !== 'issued') return refuse('packing.newNotFresh');
    if (info.packingLevel !== parent.packingLevel)
      return refuse('packing.levelMismatch', {
        old: level(parent.packingLevel),
        new: level(info.packingLevel),
      });
    setTask({ parent, children: [], fresh: info });
    say(code, { tone: 'info', title: t('packing.newSet'), detail: code });
  };

  const undo = (): void => {
    const { parent, children, fresh } = taskRef.current;
    if (modeRef.current === 'replace' && fresh !== undefined) {
      setTask({ parent, children: [] });
      setFeedback({ tone: 'info', title: t('packing.undone') });
      return;
    }
    const last = children.at(-1);
    if (last === undefined) return;
    setTask({ parent, children: children.slice(0, -1) });
    setFeedback({ tone: 'info', title: t('packing.undone'), detail: last.code });
  };

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>): void => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      enqueue(submit);
    } else if (e.key === 'Enter') {
      e.preventDefault();
      // The input's own text, not the state: a scanner types faster than React renders.
      const text = e.currentTarget.value;
      setValue('');
      enqueue(() => scan(text));
    } else if (e.key === 'z' && (e.ctrlKey || e.metaKey) && e.currentTarget.value === '') {
      e.preventDefault();
      enqueue(() => undo());
    } else if (e.key === 'Escape') {
      e.preventDefault();
      setValue('');
      enqueue(() => reset());
    }
  };

  const tone = tones[feedback.tone];
  const ready =
    mode === 'pack'
      ? parent !== undefined && children.length > 0
      : mode === 'unpack'
        ? parent !== undefined
        : mode === 'replace'
          ? parent !== undefined && fresh !== undefined
          : false;
  const submitLabel =
    mode === 'pack'
      ? t('packing.submitPack', { n: children.length })
      : mode === 'unpack'
        ? children.length > 0
          ? t('packing.submitUnpack', { n: children.length })
          : t('packing.submitUnpackAll')
        : t('packing.submitReplace');

  return (
    <Page title={t('packing.title')} subtitle={t('packing.subtitle')}>
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={14}>
          <Card>
            <Segmented<Mode>
              block
              size="large"
              value={mode}
              onChange={(m) => {
                setMode(m);
                reset(m);
                setTree(undefined);
              }}
              options={(['pack', 'unpack', 'replace', 'inspect'] as const).map((m) => ({
                value: m,
                label: t(`packing.mode_${m}`),
              }))}
            />
            <Input
              ref={input}
              size="large"
              autoFocus
              autoComplete="off"
              aria-label={t('packing.scanInput')}
              placeholder={
                parent === undefined
                  ? t(`packing.placeholder_${mode}`)
                  : t(`packing.placeholderNext_${mode}`, { level: level(parent.packingLevel) })
              }
              prefix={<ScanOutlined />}
              value={value}
              onChange={(e) => setValue(e.target.value)}
              onKeyDown={onKeyDown}
              style={{ marginTop: 16, fontSize: 20, ...mono }}
            />
            <Typography.Text type="secondary" style={{ display: 'block', marginTop: 8 }}>
              {t(`packing.keys_${mode}`)}
            </Typography.Text>
            <div
              role="status"
              aria-live="assertive"
              data-tone={feedback.tone}
              style={{
                marginTop: 16,
                padding: '20px 24px',
                borderRadius: 8,
                background: tone.background,
                border: `1px solid ${tone.border}`,
                minHeight: 108,
              }}
            >
              <Flex align="center" gap={16}>
                <span style={{ fontSize: 44, color: tone.color, lineHeight: 1 }}>{tone.icon}</span>
                <div style={{ minWidth: 0 }}>
                  <div style={{ fontSize: 26, fontWeight: 600, color: tone.color, lineHeight: 1.3 }}>
                    {feedback.title}
                  </div>
                  {feedback.detail === undefined ? null : (
                    <div
                      style={{
                        fontSize: 16,
                        marginTop: 6,
                        wordBreak: 'break-all',
                        ...(/^[\d\s→]+$/.test(feedback.detail) ? mono : {}),
                      }}
                    >
                      {feedback.detail}
                    </div>
                  )}
                </div>
              </Flex>
            </div>
          </Card>
          {mode === 'inspect' ? null : (
            <Card
              style={{ marginTop: 16 }}
              title={t(mode === 'replace' ? 'packing.replaceTask' : 'packing.task')}
              extra={
                <Space wrap>
                  <Button
                    icon={<UndoOutlined />}
                    onClick={() => enqueue(() => undo())}
                    disabled={children.length === 0 && fresh === undefined}
                  >
                    {t('packing.undo')}
                  </Button>
                  <Button onClick={() => enqueue(() => reset())} disabled={parent === undefined}>
                    {t('packing.clear')}
                  </Button>
                  <Button type="primary" onClick={() => enqueue(submit)} disabled={!ready} loading={busy}>
                    {submitLabel}
                  </Button>
                </Space>
              }
            >
              <Row gutter={16} align="middle">
                <Col flex="auto" style={{ minWidth: 0 }}>
                  <Typography.Text type="secondary">
                    {t(mode === 'replace' ? 'packing.oldLabel' : 'packing.parent')}
                  </Typography.Text>
                  <div style={{ fontSize: 18, ...mono, wordBreak: 'break-all' }}>
                    {parent === undefined ? (
                      <Typography.Text type="secondary">{t('packing.notScanned')}</Typography.Text>
                    ) : (
                      <>
                        <Tag color="geekblue" style={{ marginInlineEnd: 8 }}>
                          {level(parent.packingLevel)}
                        </Tag>
                        {parent.code}
                      </>
                    )}
                  </div>
                  {mode === 'replace' ? (
                    <>
                      <Typography.Text type="secondary">{t('packing.newLabel')}</Typography.Text>
                      <div style={{ fontSize: 18, ...mono, wordBreak: 'break-all' }}>
                        {fresh === undefined ? (
                          <Typography.Text type="secondary">{t('packing.notScanned')}</Typography.Text>
                        ) : (
                          fresh.code
                        )}
                      </div>
                    </>
                  ) : null}
                </Col>
                {mode === 'replace' ? null : (
                  <Col>
                    <Statistic
                      title={t(mode === 'pack' ? 'packing.scannedIn' : 'packing.scannedOut')}
                      value={children.length}
                      styles={{ content: { fontSize: 40, color: '#1677ff' } }}
                    />
                  </Col>
                )}
              </Row>
              {mode === 'replace' ? null : (
                <List<CodeInfo>
                  style={{ marginTop: 12 }}
                  size="small"
                  bordered
                  dataSource={[...children].reverse()}
                  locale={{
                    emptyText: (
                      <Typography.Text type="secondary">
                        {t(parent === undefined ? 'packing.emptyNoParent' : 'packing.emptyChildren')}
                      </Typography.Text>
                    ),
                  }}
                  renderItem={(c) => {
                    const n = children.indexOf(c) + 1;
                    return (
                      <List.Item
                        actions={[
                          <Button
                            key="remove"
                            type="text"
                            size="small"
                            icon={<DeleteOutlined />}
                            aria-label={t('packing.remove')}
                            onClick={() => {
                              const now = taskRef.current;
                              setTask({ ...now, children: now.children.filter((x) => x.code !== c.code) });
                              focus();
                            }}
                          />,
                        ]}
                      >
                        <Space>
                          <Tag>{n}</Tag>
                          <span style={mono}>{c.code}</span>
                          <Tag color="default">{level(c.packingLevel)}</Tag>
                          {c.parent !== null && mode === 'pack' ? (
                            <Tag color="warning">{t('packing.moving')}</Tag>
                          ) : null}
                        </Space>
                      </List.Item>
                    );
                  }}
                />
              )}
            </Card>
          )}
        </Col>
        <Col xs={24} xl={10}>
          <Card title={t('packing.tree')}>
            {tree === undefined ? (
              <Empty description={t('packing.treeEmpty')} />
            ) : (
              <PackingTree info={tree} level={level} onOpen={(c) => void showTree(c)} />
            )}
          </Card>
          <Card title={t('packing.log')} style={{ marginTop: 16 }}>
            <List<LogEntry>
              size="small"
              dataSource={[...log]}
              locale={{
                emptyText: <Typography.Text type="secondary">{t('packing.logEmpty')}</Typography.Text>,
              }}
              renderItem={(e) => (
                <List.Item>
                  <Flex gap={8} align="baseline" style={{ minWidth: 0, width: '100%' }}>
                    <span style={{ color: tones[e.tone].color }}>{tones[e.tone].icon}</span>
                    <Typography.Text type="secondary" style={{ flex: 'none' }}>
                      {new Date(e.at).toLocaleTimeString()}
                    </Typography.Text>
                    <Typography.Text ellipsis style={{ flex: 1, minWidth: 0 }}>
                      {e.text}
                      {e.code === '' ? '' : ` · ${e.code}`}
                    </Typography.Text>
                  </Flex>
                </List.Item>
              )}
            />
          </Card>
        </Col>
      </Row>
    </Page>
  );
}

/** A code's place: its container above it, the code, and its contents below. */
function PackingTree({
  info,
  level,
  onOpen,
}: {
  readonly info: CodeInfo;
  readonly level: (l: Level) => string;
  readonly onOpen: (code: string) => void;
}): ReactNode {
  const { t } = useI18n();
  const self: TreeDataNode = {
    key: info.code,
    title: (
      <Space wrap size={4}>
        <Tag color="geekblue">{level(info.packingLevel)}</Tag>
        <span style={mono}>{info.code}</span>
        <Tag color={info.status === 'active' ? 'success' : info.status === 'voided' ? 'error' : 'default'}>
          {t(`packing.status_${info.status}`)}
        </Tag>
        {info.childCount > 0 ? (
          <Typography.Text type="secondary">{t('packing.holds', { n: info.childCount })}</Typography.Text>
        ) : null}
      </Space>
    ),
    children: info.children.map((c) => ({
      key: c,
      title: (
        <Typography.Link style={mono} onClick={() => onOpen(c)}>
          {c}
        </Typography.Link>
      ),
      isLeaf: true,
    })),
  };
  const treeData: TreeDataNode[] =
    info.parent === null
      ? [self]
      : [
          {
            key: `parent:${info.parent}`,
            title: (
              <Space size={4}>
                <Typography.Text type="secondary">{t('packing.inside')}</Typography.Text>
                <Typography.Link style={mono} onClick={() => onOpen(info.parent ?? '')}>
                  {info.parent}
                </Typography.Link>
              </Space>
            ),
            children: [self],
          },
        ];
  return (
    <>
      <Tree
        // Drawn afresh when the contents change, so every level shows expanded.
        key={`${info.code}:${info.parent ?? ''}:${info.children.join(',')}`}
        showLine
        defaultExpandAll
        selectable={false}
        treeData={treeData}
        style={{ fontSize: 14 }}
      />
      {info.replacedBy === null ? null : (
        <Typography.Paragraph type="warning" style={{ marginTop: 8 }}>
          {t('packing.replacedBy', { code: info.replacedBy })}
        </Typography.Paragraph>
      )}
      {info.childCount > info.children.length ? (
        <Typography.Text type="secondary">
          {t('packing.moreChildren', { n: info.childCount - info.children.length })}
        </Typography.Text>
      ) : null}
    </>
  );
}
