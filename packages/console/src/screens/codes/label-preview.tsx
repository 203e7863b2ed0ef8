/**
 * Label printing for a job: layout, colour, size (2:3 or 3:2, as the API accepts), A4 sheets
 * with crop marks or a roll, and the range to print — with a live preview of the first labels,
 * rendered by the same labels.pdf the download uses (shown inline), before anything is printed.
 */
import { useEffect, useState, type ReactNode } from 'react';
import { Button, Col, Flex, Form, InputNumber, Radio, Row, Segmented, Spin, Typography } from 'antd';
import { FilePdfOutlined } from '@ant-design/icons';
import { useI18n } from '../../i18n/index.js';
import { brandRed, brandTeal } from '../../layout/brand-logo.js';
import type { Job } from './job-drawer.js';

/** The API's layouts and colours (LabelsQuery), in the order the console offers them. */
export const labelLayouts = ['classic', 'framed', 'sidebar'] as const;
export const labelColours = { red: brandRed, orange: '#FFCC00', green: brandTeal, blue: '#468CC8' } as const;
type Layout = (typeof labelLayouts)[number];
type Colour = keyof typeof labelColours;

/** The API's size limits: short side ≥ 15 mm for a QR that scans, long side ≤ 180 mm. */
const minShort = 15;
const maxShort = 120;
/** The most labels one PDF holds (the API's limit); larger runs print in several ranges. */
const maxPerPdf = 20_000;

/** Labels per A4 page, as the server lays them out (10 mm margins, 2 mm gaps). */
export function a4Grid(width: number, height: number): { columns: number; rows: number } {
  const fit = (room: number, size: number): number => Math.max(0, Math.floor((room + 2 + 1e-9) / (size + 2)));
  return { columns: fit(210 - 20, width), rows: fit(297 - 20, height) };
}

export function LabelPreview({ job }: { readonly job: Job }): ReactNode {
  const { t } = useI18n();
  const [layout, setLayout] = useState<Layout>('classic');
  const [colour, setColour] = useState<Colour>('red');
  const [orientation, setOrientation] = useState<'portrait' | 'landscape'>('portrait');
  const [short, setShort] = useState(20);
  const [sheet, setSheet] = useState<'a4' | 'roll'>('a4');
  const [from, setFrom] = useState(1);
  const [count, setCount] = useState(Math.min(job.count, 1000));
  const long = Math.round(short * 15) / 10;
  const width = orientation === 'portrait' ? short : long;
  const height = orientation === 'portrait' ? long : short;
  const grid = a4Grid(width, height);
  const perPage = sheet === 'a4' ? grid.columns * grid.rows : 1;
  const available = Math.max(0, job.count - (from - 1));
  const printing = Math.max(0, Math.min(count, available, maxPerPdf));
  const previewCount = Math.max(1, Math.min(sheet === 'a4' ? perPage : 3, available));
  const query = (offset: number, n: number, inline: boolean): string =>
    `/api/v1/code-jobs/${job.id}/labels.pdf?layout=${layout}&colour=${colour}&width=${width}&height=${height}` +
    `&sheet=${sheet}&offset=${offset}&count=${n}${inline ? '&disposition=inline' : ''}`;
  const [zoom, setZoom] = useState<'page' | 'labels'>('page');
  const wanted = `${query(from - 1, previewCount, true)}#toolbar=0&navpanes=0&${zoom === 'page' ? 'view=Fit' : 'zoom=250,0,0'}`;

  // Options change in bursts (typing a size): render the preview once they settle.
  const [shown, setShown] = useState(wanted);
  const [loading, setLoading] = useState(true);
  useEffect(() => {
    const timer = setTimeout(() => {
      if (wanted !== shown) {
        setLoading(true);
        setShown(wanted);
      }
    }, 400);
    return () => clearTimeout(timer);
  }, [wanted, shown]);

  // The viewer reports its load; should it not (a plugin-less browser), stop spinning anyway.
  useEffect(() => {
    const timer = setTimeout(() => setLoading(false), 8000);
    return () => clearTimeout(timer);
  }, [shown]);

  const pages = Math.ceil(printing / perPage);
  return (
    <Row gutter={24}>
      <Col xs={24} lg={11}>
        <Form layout="vertical" size="middle" requiredMark={false}>
          <Form.Item label={t('codes.layout')} extra={t(`codes.layoutHelp_${layout}`)}>
            <Radio.Group
              aria-label={t('codes.layout')}
              value={layout}
              onChange={(e) => setLayout(e.target.value as Layout)}
              optionType="button"
              options={labelLayouts.map((l) => ({ value: l, label: t(`codes.layout_${l}`) }))}
            />
          </Form.Item>
          <Form.Item label={t('codes.colour')}>
            <Radio.Group
              aria-label={t('codes.colour')}
              value={colour}
              onChange={(e) => setColour(e.target.value as Colour)}
              optionType="button"
              options={(Object.keys(labelColours) as Colour[]).map((c) => ({
                value: c,
                title: t(`codes.colour_${c}`),
                label: (
                  <Flex align="center" gap={6}>
                    <span
                      style={{
                        display: 'inline-block',
                        width: 12,
                        height: 12,
                        borderRadius: 2,
                        background: labelColours[c],
                      }}
                    />
                    {t(`codes.colourName_${c}`)}
                  </Flex>
                ),
              }))}
            />
          </Form.Item>
          <Form.Item label={t('codes.size')} extra={t('codes.sizeHelp', { min: minShort, max: maxShort })}>
            <Flex gap={8} wrap align="center">
              <Radio.Group
                aria-label={t('codes.orientation')}
                value={orientation}
                onChange={(e) => setOrientation(e.target.value as 'portrait' | 'landscape')}
                optionType="button"
                options={[
                  { value: 'portrait', label: t('codes.portrait') },
                  { value: 'landscape', label: t('codes.landscape') },
                ]}
              />
              <InputNumber
                aria-label={t('codes.shortSide')}
                min={minShort}
                max={maxShort}
                precision={0}
                value={short}
                onChange={(v) => setShort(v ?? 20)}
                suffix="mm"
                style={{ width: 110 }}
              />
              <Typography.Text strong>{t('codes.sizeMm', { w: width, h: height })}</Typography.Text>
            </Flex>
          </Form.Item>
          <Form.Item label={t('codes.sheet')}>
            <Radio.Group
              aria-label={t('codes.sheet')}
              value={sheet}
              onChange={(e) => setSheet(e.target.value as 'a4' | 'roll')}
              options={[
                { value: 'a4', label: t('codes.sheetA4') },
                { value: 'roll', label: t('codes.sheetRoll') },
              ]}
            />
          </Form.Item>
          <Form.Item
            label={t('codes.printRange')}
            extra={t('codes.printRangeHelp', { max: maxPerPdf.toLocaleString() })}
          >
            <Flex gap={8} wrap align="center">
              <InputNumber
                aria-label={t('codes.printFrom')}
                prefix={t('codes.from')}
                min={1}
                max={job.count}
                precision={0}
                value={from}
                onChange={(v) => setFrom(v ?? 1)}
                style={{ width: 150 }}
              />
              <InputNumber
                aria-label={t('codes.printCount')}
                prefix={t('codes.printCountPrefix')}
                min={1}
                max={maxPerPdf}
                precision={0}
                value={count}
                onChange={(v) => setCount(v ?? 1)}
                style={{ width: 150 }}
              />
            </Flex>
          </Form.Item>
          <Typography.Paragraph type="secondary">
            {sheet === 'a4'
              ? t('codes.a4Summary', {
                  columns: grid.columns,
                  rows: grid.rows,
                  perPage,
                  pages: pages.toLocaleString(),
                })
              : t('codes.rollSummary', { w: width, h: height, pages: pages.toLocaleString() })}
          </Typography.Paragraph>
          <a href={query(from - 1, Math.max(1, printing), false)} download>
            <Button type="primary" icon={<FilePdfOutlined />} disabled={printing === 0}>
              {t('codes.downloadLabels', { n: printing.toLocaleString() })}
            </Button>
          </a>
        </Form>
      </Col>
      <Col xs={24} lg={13}>
        <Flex justify="space-between" align="center" gap={8} wrap>
          <Typography.Text type="secondary">
            {t('codes.previewOf', { n: previewCount, from, to: from + previewCount - 1 })}
          </Typography.Text>
          <Segmented<'page' | 'labels'>
            size="small"
            value={zoom}
            onChange={setZoom}
            options={[
              { value: 'page', label: t('codes.zoomPage') },
              { value: 'labels', label: t('codes.zoomLabels') },
            ]}
          />
        </Flex>
        <Spin spinning={loading} description={t('codes.previewRendering')}>
          <iframe
            key={shown}
            src={shown}
            title={t('codes.previewTitle')}
            onLoad={() => setLoading(false)}
            style={{
              width: '100%',
              height: 520,
              marginTop: 8,
              border: '1px solid #f0f0f0',
              borderRadius: 6,
              background: '#f5f5f5',
            }}
          />
        </Spin>
      </Col>
    </Row>
  );
}
