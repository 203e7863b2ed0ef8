import { PassThrough } from 'node:stream';
import { AppError } from '../../errors.js';
import { reader, type ServiceContext } from '../../lib/context.js';
import { validateLabelSpec, type LabelItem, type LabelSpec, type LabelText } from './labels/label-spec.js';
import { assertLabelText, renderLabels } from './labels/render-labels.js';
import { scanUrl } from './presenter.js';
import { engineOfJob, gtinOfJob, loadJob } from './service.js';

/** The most labels one PDF request renders; larger runs are printed in several ranges. */
export const maxLabelsPerPdf = 20_000;

/**
 * The words every label carries besides the product: the platform mark and the call to scan.
 * Printed on the goods, so in Chinese, the language of the market the labels are for.
 */
export const labelWords = Object.freeze({ platformName: '产品追溯防伪', hint: '扫码验真伪' });

/**
 * Starts rendering labels for positions `offset+1 … offset+count` of a job and returns the PDF
 * stream at once (the caller sends it while pages are drawn). The spec is checked before
 * anything is sent, so a bad size or layout is a clean 400.
 */
export async function jobLabelsPdf(
  ctx: ServiceContext,
  jobId: string,
  spec: LabelSpec,
  range: { offset: number; count: number },
): Promise<{ stream: PassThrough; count: number; fileName: string }> {
  const check = validateLabelSpec(spec);
  if (!check.ok) throw new AppError('TRACE_CODE_LABEL_SPEC', check.problem);
  if (range.count > maxLabelsPerPdf)
    throw new AppError('TRACE_CODE_TOO_MANY', `At most ${maxLabelsPerPdf} labels per PDF.`);
  const job = await loadJob(ctx, jobId);
  const count = Math.max(0, Math.min(range.count, job.count - range.offset));
  if (count === 0) throw new AppError('TRACE_CODE_RANGE_INVALID');
  const engine = await engineOfJob(ctx, job);
  const gtin = await gtinOfJob(ctx, job);
  const repos = reader(ctx);
  const product =
    job.product_id === null ? undefined : await repos.products.find(job.tenant_id, job.product_id);
  const enterprise = await repos.enterprises.findById(job.tenant_id);
  const text: LabelText = {
    productName: product?.name ?? enterprise?.name ?? '',
    ...(product?.brand != null ? { brandName: product.brand } : {}),
    ...labelWords,
  };
  try {
    assertLabelText(text);
  } catch (error) {
    throw new AppError('TRACE_CODE_LABEL_SPEC', error instanceof Error ? error.message : String(error));
  }
  const first = job.first_serial + range.offset;
  const publicUrl = ctx.config.publicUrl;
  function* items(): Generator<LabelItem> {
    for (let done = 0; done < count; done += 1000) {
      const n = Math.min(1000, count - done);
      const codes = engine.codec.encodeBatch(first + done, n);
      const pins = job.with_pin === 1 ? engine.pins.pinBatch(first + done, n) : undefined;
      for (let i = 0; i < n; i++) {
        const code = codes[i] ?? '';
        yield {
          code,
          url: scanUrl(publicUrl, code, gtin),
          ...(pins !== undefined ? { pin: pins[i] ?? '' } : {}),
        };
      }
    }
  }
  const stream = new PassThrough();
  renderLabels(items(), spec, text, stream).catch((error: unknown) => {
    ctx.log.error({ err: error, jobId }, 'label rendering failed');
    stream.destroy(error instanceof Error ? error : new Error(String(error)));
  });
  return {
    stream,
    count,
    fileName: `labels-${job.id.slice(0, 8)}-${range.offset + 1}-${range.offset + count}.pdf`,
  };
}
