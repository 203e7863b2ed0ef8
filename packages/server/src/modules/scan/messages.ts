/**
 * Every word the consumer pages show, in Simplified Chinese (the default) and English, and the
 * date formats of both. Chinese is the source: `MessageKey` is taken from it and the English
 * table must have exactly the same keys, so a missing translation fails the type check.
 */
import type { Lang } from './view-model.js';

const zh = {
  'site.name': '防伪溯源查询',
  'site.footer': 'Tracemark 产品追溯防伪平台',
  'site.hotline': '消费者投诉举报电话：12315',
  'lang.other': 'English',
  'lang.otherLabel': 'Switch to English',

  'title.tracing': '产品追溯信息',
  'title.withProduct': '{verdict} · {product}',

  'verdict.genuine_first.title': '正品 · 首次查询',
  'verdict.genuine_first.body':
    '这是此防伪码的第一次查询，首次查询时间已在此刻记录并锁定。如果此前已有人查询过此码，这里会显示首次查询的时间和次数。',
  'verdict.genuine_repeat.title': '此码已被查询过',
  'verdict.genuine_repeat.body': '此防伪码是本平台发放的有效码，但在此之前已被查询过。',
  'verdict.genuine_repeat.advice': '如果首次查询不是您本人，请警惕假冒。',
  'verdict.warning.title': '查询异常，请警惕假冒',
  'verdict.warning.body':
    '此防伪码的查询情况异常，您手中的商品可能是假冒产品。请谨慎购买或使用，并向商家或品牌方核实。',
  'verdict.pin_required.title': '请输入防伪密码',
  'verdict.pin_required.body':
    '此标签带有防伪密码。请刮开标签上的涂层，在下方输入密码完成验证。仅凭防伪码本身不能证明商品是正品。',
  'verdict.pin_wrong.title': '防伪密码错误',
  'verdict.pin_wrong.body':
    '您输入的防伪密码与此码不符。请核对涂层下的密码后重新输入；如果确认输入无误，此商品可能是假冒产品。',
  'verdict.not_activated.title': '此码未激活，请勿信任',
  'verdict.not_activated.body':
    '此防伪码虽由平台发放，但从未被生产企业激活。正品在出厂前都会激活，因此这件商品十分可疑，请勿购买或使用，并向品牌方核实。',
  'verdict.invalid.title': '无效的防伪码',
  'verdict.invalid.body':
    '此码不是本平台发放的防伪码，或号码有误。请核对标签上的号码；如确认无误，此商品可能是假冒产品，可拨打 12315 消费者投诉举报热线。',
  'verdict.voided.title': '此码已作废',
  'verdict.voided.body':
    '此防伪码已被生产企业停用（例如标签已更换或销毁），不应出现在在售商品上。请谨慎购买或使用，并向品牌方核实。',
  'verdict.recalled.title': '此商品已被召回',
  'verdict.recalled.body':
    '这是本平台发放的有效防伪码，但生产企业已召回此商品。请立即停止食用或使用，并按企业公告联系购买渠道退换。',
  'recall.reason': '召回原因',
  'recall.at': '召回时间',
  'recall.scope': '召回范围',
  'recall.scope.code': '此件商品',
  'recall.scope.container': '此商品所在的箱或托盘',
  'recall.scope.batch': '此商品所属的整个批次',

  'trace.heading': '溯源信息',
  'trace.intro': '此批商品从原料到出厂的记录，由生产企业按 GS1 EPCIS 标准上报。',
  'trace.more': '另有 {n} 条记录',
  'trace.full': '查看此件商品的完整流通记录',
  'trace.pageTitle': '流通记录',
  'trace.pageIntro': '此件商品及其所在箱、托盘、批次和原料的全部记录，按时间排列。查看此页不计为查询。',
  'trace.empty': '生产企业尚未上报此商品的流通记录。',
  'trace.back': '返回查询结果',
  'stage.raw_material': '原料',
  'stage.production': '生产',
  'stage.processing': '包装加工',
  'stage.warehousing': '仓储',
  'stage.logistics': '物流',
  'stage.channel': '渠道',
  'stage.store': '门店',
  'stage.terminal': '终端',
  'stage.recall': '召回',
  'stage.other': '其他',
  'step.commissioning': '赋码激活',
  'step.transforming': '生产加工',
  'step.inspecting': '质量检验',
  'step.packing': '装箱',
  'step.unpacking': '拆箱',
  'step.storing': '入库',
  'step.picking': '拣货',
  'step.staging_outbound': '出库',
  'step.shipping': '发货',
  'step.receiving': '收货',
  'step.accepting': '验收',
  'step.retail_selling': '零售',
  'step.holding': '暂停销售',
  'step.recalled': '召回',
  'step.destroying': '销毁',
  'step.departing': '离开',
  'step.arriving': '到达',

  'verdict.preview.title': '有效的防伪码',
  'verdict.preview.body': '此次访问（链接预览）未计为查询。首次查询时间以消费者扫码查询为准。',

  'warning.reasons': '异常原因',
  'warning.query_limit': '本码已被查询 {count} 次，超过 {limit} 次上限',
  'warning.query_limit_unknown': '本码已被查询 {count} 次，超过查询次数上限',
  'warning.distant_regions': '短时间内在相距很远的地方被查询',

  'record.firstQuery': '首次查询时间：',
  'record.thisQuery': '即本次查询，已记录并锁定',
  'record.count': '共查询 {count} 次',

  'fact.code': '防伪码',
  'fact.place': '本次查询地点',
  'fact.pin': '防伪密码',
  'fact.pinVerified': '已验证',
  'place.ip': '（根据网络位置）',
  'place.position': '（根据您的精确位置）',
  'place.unknown': '未知',

  'position.button': '使用我的精确位置',
  'position.note': '位置仅用于确定本次查询的地点，存储时模糊到约 1\u00a0公里。',
  'position.busy': '正在获取位置…',
  'position.done': '已更新本次查询地点。',
  'position.denied': '未获得位置权限，继续使用网络位置。',
  'position.failed': '暂时无法获取位置，请稍后再试。',

  'prompt.heading': '品牌提示',

  'pin.label': '防伪密码',
  'pin.hint': '刮开标签上的涂层即可看到，{min}–{max} 位数字。',
  'pin.submit': '验证',

  'action.report': '举报此商品',
  'action.hotline': '拨打 12315 投诉举报',
  'action.entry': '重新输入防伪码',

  'query.heading': '本次查询',

  'product.heading': '产品信息',
  'product.imageAlt': '{name}的产品图片',
  'product.category': '类别',
  'product.gtin': '商品条码',
  'product.standard': '执行标准',
  'product.shelfLife': '保质期',
  'product.shelfLifeDays': '{days} 天',

  'batch.heading': '生产批次',
  'batch.lot': '批号',
  'batch.productionDate': '生产日期',
  'batch.expiryDate': '有效期至',
  'batch.inspection': '检验报告',
  'batch.inspectionLink': '查看检验报告',

  'enterprise.heading': '企业信息',
  'enterprise.name': '企业名称',
  'enterprise.uscc': '统一社会信用代码',
  'enterprise.region': '所在地区',
  'enterprise.address': '地址',
  'qualifications.heading': '已核验资质',
  'qualifications.note': '以下资质证件已由平台审核。',
  'qualification.number': '编号：{number}',
  'qualification.expires': '有效期至 {date}',
  'qualification.noExpiry': '长期有效',

  'doc.business_licence': '营业执照',
  'doc.trademark': '商标注册证',
  'doc.production_licence': '生产许可证',
  'doc.quality_inspection': '质量检验报告',
  'doc.product_specification': '产品标准/说明',
  'doc.foreign_equivalent': '境外同等资质',
  'doc.other': '其他资质',

  'links.heading': '品牌服务',
  'link.shop': '官方商城',
  'link.news': '品牌资讯',
  'link.promotion': '优惠活动',

  'report.heading': '举报疑似假冒',
  'report.intro': '您的举报会发送给品牌方核查，帮助打击假冒。带 * 的为必填项。',
  'report.where': '购买地点 *',
  'report.whereHint': '店铺名称、网购平台或地址',
  'report.price': '购买价格（元）',
  'report.note': '补充说明',
  'report.contact': '联系方式（手机或邮箱）',
  'report.contactHint': '选填，仅供品牌方核实举报，不会公开。',
  'report.photo': '商品或标签照片',
  'report.photoHint': '选填，JPEG 或 PNG 格式。',
  'report.submit': '提交举报',

  'entry.title': '防伪码查询',
  'entry.intro': '请输入商品标签上二维码旁的防伪码数字。',
  'entry.code': '防伪码',
  'entry.codeHint': '15、17 或 21 位数字，可带空格。',
  'entry.pin': '防伪密码（选填）',
  'entry.pinHint': '标签上有刮开涂层时，请输入涂层下的密码；没有则留空。',
  'entry.submit': '查询',
  'entry.error.invalid_code': '未能识别此防伪码。请核对标签上的数字后重新输入。',
  'entry.error.rate_limited': '查询过于频繁，请稍后再试。',

  'thanks.title': '感谢您的举报',
  'thanks.body': '品牌方会收到您的举报并进行核查。如需进一步帮助，可拨打 12315 消费者投诉举报热线。',
  'thanks.back': '返回查询结果',

  'problem.rate_limited.title': '查询过于频繁',
  'problem.rate_limited.body': '为防止恶意查询，来自您所在网络的查询暂时受到限制。',
  'problem.bad_request.title': '无法识别此请求',
  'problem.bad_request.body': '链接或输入的内容有误。请重新扫描商品上的二维码，或手动输入防伪码。',
  'problem.not_found.title': '页面不存在',
  'problem.not_found.body': '请检查链接，或重新扫描商品上的二维码。',
  'problem.unavailable.title': '服务暂时不可用',
  'problem.unavailable.body': '系统正在维护或繁忙。',
  'problem.retrySeconds': '请在 {n} 秒后再试。',
  'problem.retryMinutes': '请在约 {n} 分钟后再试。',
  'problem.retryLater': '请稍后再试。',
} as const;

/** The key of a user-visible string. */
export type MessageKey = keyof typeof zh;

const en: Readonly<Record<MessageKey, string>> = {
  'site.name': 'Product verification',
  'site.footer': 'Tracemark traceability and anti-counterfeiting platform',
  'site.hotline': 'Consumer hotline (China): 12315',
  'lang.other': '中文',
  'lang.otherLabel': '切换到中文',

  'title.tracing': 'Product information',
  'title.withProduct': '{verdict} · {product}',

  'verdict.genuine_first.title': 'Genuine · first query',
  'verdict.genuine_first.body':
    'This is the first query of this code: its first query time has been recorded and locked now. Had anyone queried this code before, this page would show when, and how many times.',
  'verdict.genuine_repeat.title': 'This code has been queried before',
  'verdict.genuine_repeat.body': 'This is a valid code of this platform, but it was queried before.',
  'verdict.genuine_repeat.advice': 'If the first query was not yours, beware: the item may be a counterfeit.',
  'verdict.warning.title': 'Unusual queries: beware of fakes',
  'verdict.warning.body':
    'The queries of this code look unusual; the item in your hands may be a counterfeit. Be careful before you buy or use it, and check with the seller or the brand.',
  'verdict.pin_required.title': 'Enter the hidden PIN',
  'verdict.pin_required.body':
    'This label carries a hidden PIN. Scratch off the coating on the label and enter the PIN below to finish the check. The code alone does not prove the item is genuine.',
  'verdict.pin_wrong.title': 'Wrong PIN',
  'verdict.pin_wrong.body':
    'The PIN you entered does not match this code. Check the PIN under the coating and try again; if you typed it correctly, the item may be a counterfeit.',
  'verdict.not_activated.title': 'Code not activated: do not trust',
  'verdict.not_activated.body':
    'This code was issued by the platform but the manufacturer never activated it. Genuine goods are activated before they leave the factory, so this item is highly suspicious. Do not buy or use it, and check with the brand.',
  'verdict.invalid.title': 'Not a valid code',
  'verdict.invalid.body':
    'This is not a code issued by this platform, or it was mistyped. Check the digits on the label; if they are right, the item may be a counterfeit and you can call the 12315 consumer hotline.',
  'verdict.voided.title': 'This code has been voided',
  'verdict.voided.body':
    'The manufacturer has taken this code out of use (for example, the label was replaced or destroyed); it should not appear on goods on sale. Be careful before you buy or use the item, and check with the brand.',
  'verdict.recalled.title': 'This product has been recalled',
  'verdict.recalled.body':
    'The code is a valid code of this platform, but the manufacturer has recalled this product. Stop eating or using it now and return it where you bought it, as the manufacturer’s notice says.',
  'recall.reason': 'Reason',
  'recall.at': 'Recalled on',
  'recall.scope': 'Recalled',
  'recall.scope.code': 'this item',
  'recall.scope.container': 'the case or pallet this item is packed in',
  'recall.scope.batch': 'the whole batch of this item',

  'trace.heading': 'Traceability',
  'trace.intro':
    'The record of this batch from raw materials to the factory gate, reported by the manufacturer to the GS1 EPCIS standard.',
  'trace.more': '{n} more records',
  'trace.full': 'See the full journey of this item',
  'trace.pageTitle': 'Journey',
  'trace.pageIntro':
    'Every record of this item, its case, pallet, batch and raw materials, in time order. Viewing this page is not counted as a query.',
  'trace.empty': 'The manufacturer has not reported the journey of this item yet.',
  'trace.back': 'Back to the result',
  'stage.raw_material': 'Raw materials',
  'stage.production': 'Production',
  'stage.processing': 'Packing',
  'stage.warehousing': 'Warehouse',
  'stage.logistics': 'Logistics',
  'stage.channel': 'Distribution',
  'stage.store': 'Store',
  'stage.terminal': 'In use',
  'stage.recall': 'Recall',
  'stage.other': 'Other',
  'step.commissioning': 'Coded and activated',
  'step.transforming': 'Produced',
  'step.inspecting': 'Inspected',
  'step.packing': 'Packed',
  'step.unpacking': 'Unpacked',
  'step.storing': 'Stored',
  'step.picking': 'Picked',
  'step.staging_outbound': 'Dispatched',
  'step.shipping': 'Shipped',
  'step.receiving': 'Received',
  'step.accepting': 'Accepted',
  'step.retail_selling': 'Sold',
  'step.holding': 'Held',
  'step.recalled': 'Recalled',
  'step.destroying': 'Destroyed',
  'step.departing': 'Departed',
  'step.arriving': 'Arrived',

  'verdict.preview.title': 'A valid code',
  'verdict.preview.body':
    'This visit (a link preview) was not counted as a query. The first query time is set by the first consumer who scans the code.',

  'warning.reasons': 'Why',
  'warning.query_limit': 'This code has been queried {count} times, more than its limit of {limit}',
  'warning.query_limit_unknown': 'This code has been queried {count} times, more than its limit',
  'warning.distant_regions': 'It was queried in places far apart within a short time',

  'record.firstQuery': 'First queried: ',
  'record.thisQuery': 'This query; the time is now locked',
  'record.count': 'Queried {count} times in total',

  'fact.code': 'Code',
  'fact.place': 'Place of this query',
  'fact.pin': 'Hidden PIN',
  'fact.pinVerified': 'Verified',
  'place.ip': ' (from the network location)',
  'place.position': ' (from your precise location)',
  'place.unknown': 'Unknown',

  'position.button': 'Use my precise location',
  'position.note':
    'Your position is used only to locate this query and is stored coarsened to about 1\u00a0km.',
  'position.busy': 'Finding your position…',
  'position.done': 'The place of this query has been updated.',
  'position.denied': 'No permission to use your position; the network location stays.',
  'position.failed': 'Your position could not be found; please try again later.',

  'prompt.heading': 'From the brand',

  'pin.label': 'Hidden PIN',
  'pin.hint': 'Under the scratch-off coating on the label: {min} to {max} digits.',
  'pin.submit': 'Verify',

  'action.report': 'Report this item',
  'action.hotline': 'Call the 12315 hotline',
  'action.entry': 'Type the code again',

  'query.heading': 'This query',

  'product.heading': 'Product',
  'product.imageAlt': 'Picture of {name}',
  'product.category': 'Category',
  'product.gtin': 'Barcode (GTIN)',
  'product.standard': 'Standard',
  'product.shelfLife': 'Shelf life',
  'product.shelfLifeDays': '{days} days',

  'batch.heading': 'Batch',
  'batch.lot': 'Lot',
  'batch.productionDate': 'Produced on',
  'batch.expiryDate': 'Use by',
  'batch.inspection': 'Inspection report',
  'batch.inspectionLink': 'View the inspection report',

  'enterprise.heading': 'Enterprise',
  'enterprise.name': 'Name',
  'enterprise.uscc': 'Unified social credit code',
  'enterprise.region': 'Region',
  'enterprise.address': 'Address',
  'qualifications.heading': 'Verified qualifications',
  'qualifications.note': 'The platform has reviewed these documents.',
  'qualification.number': 'No. {number}',
  'qualification.expires': 'Valid until {date}',
  'qualification.noExpiry': 'No expiry',

  'doc.business_licence': 'Business licence',
  'doc.trademark': 'Trademark registration',
  'doc.production_licence': 'Production licence',
  'doc.quality_inspection': 'Quality inspection report',
  'doc.product_specification': 'Product standard',
  'doc.foreign_equivalent': 'Foreign equivalent',
  'doc.other': 'Other qualification',

  'links.heading': 'From the brand',
  'link.shop': 'Official shop',
  'link.news': 'News',
  'link.promotion': 'Promotions',

  'report.heading': 'Report a suspected fake',
  'report.intro':
    'Your report goes to the brand to look into and helps fight fakes. Fields with * are required.',
  'report.where': 'Where you bought it *',
  'report.whereHint': 'Shop name, online platform or address',
  'report.price': 'Price paid (yuan)',
  'report.note': 'Anything else',
  'report.contact': 'Your phone or email',
  'report.contactHint': 'Optional; only for the brand to follow up, never published.',
  'report.photo': 'Photo of the item or label',
  'report.photoHint': 'Optional; JPEG or PNG.',
  'report.submit': 'Send the report',

  'entry.title': 'Verify a code',
  'entry.intro': 'Enter the digits printed next to the QR code on the product label.',
  'entry.code': 'Code',
  'entry.codeHint': '15, 17 or 21 digits; spaces are fine.',
  'entry.pin': 'Hidden PIN (optional)',
  'entry.pinHint':
    'If the label has a scratch-off coating, enter the PIN under it; otherwise leave this empty.',
  'entry.submit': 'Verify',
  'entry.error.invalid_code':
    'We could not recognise this code. Check the digits on the label and try again.',
  'entry.error.rate_limited': 'Too many queries. Please try again later.',

  'thanks.title': 'Thank you for your report',
  'thanks.body':
    'The brand will receive your report and look into it. For further help, call the 12315 consumer hotline.',
  'thanks.back': 'Back to the result',

  'problem.rate_limited.title': 'Too many queries',
  'problem.rate_limited.body': 'To stop abuse, queries from your network are limited for a while.',
  'problem.bad_request.title': 'We could not read this request',
  'problem.bad_request.body':
    'The link or what was typed is not right. Scan the QR code on the product again, or type the code by hand.',
  'problem.not_found.title': 'Page not found',
  'problem.not_found.body': 'Check the link, or scan the QR code on the product again.',
  'problem.unavailable.title': 'Service temporarily unavailable',
  'problem.unavailable.body': 'The service is busy or under maintenance.',
  'problem.retrySeconds': 'Please try again in {n} s.',
  'problem.retryMinutes': 'Please try again in about {n} min.',
  'problem.retryLater': 'Please try again later.',
};

const MESSAGES: Readonly<Record<Lang, Readonly<Record<MessageKey, string>>>> = Object.freeze({ zh, en });

/** Values for the `{name}` placeholders of a message. */
export type MessageParams = Readonly<Record<string, string | number>>;

/**
 * The message `key` in `lang`, with every `{name}` replaced by `params.name`. Plain text: the
 * page escapes it. A placeholder without a value is left as written, so a test can spot it.
 *
 * @example
 * ```ts
 * t('zh', 'record.count', { count: 3 }); // '共查询 3 次'
 * ```
 */
export function t(lang: Lang, key: MessageKey, params?: MessageParams): string {
  const text = MESSAGES[lang][key];
  if (params === undefined || !text.includes('{')) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    return value === undefined ? whole : String(value);
  });
}

/** Whether a string is a message key (for keys built from data, e.g. `step.${bizStep}`). */
export function isMessageKey(key: string): key is MessageKey {
  return Object.hasOwn(zh, key);
}

/** Every key, for tests that compare the two languages. */
export const MESSAGE_KEYS: readonly MessageKey[] = Object.freeze(Object.keys(zh) as MessageKey[]);

/** The time zone of every time the consumer pages show: Beijing time, whatever the server's. */
export const PAGE_TIME_ZONE = 'Asia/Shanghai';

const EN_MONTHS = [
  'Jan',
  'Feb',
  'Mar',
  'Apr',
  'May',
  'Jun',
  'Jul',
  'Aug',
  'Sep',
  'Oct',
  'Nov',
  'Dec',
] as const;

// The words around the numbers are ours, so the output never changes with an ICU version.
/** Beijing time's offset from UTC (PAGE_TIME_ZONE, no daylight saving since 1991). */
const BEIJING_OFFSET_MS = 8 * 3_600_000;

interface WallClock {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: string;
  readonly minute: string;
}

function wallClock(epochMs: number): WallClock {
  // China has kept UTC+8 without daylight saving since 1991, so Beijing time is plain arithmetic
  // (Intl's formatToParts cost a noticeable share of a scan page).
  const d = new Date(epochMs + BEIJING_OFFSET_MS);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: String(d.getUTCHours()).padStart(2, '0'),
    minute: String(d.getUTCMinutes()).padStart(2, '0'),
  };
}

function dayText(lang: Lang, year: number, month: number, day: number): string {
  return lang === 'zh' ? `${year}年${month}月${day}日` : `${day} ${EN_MONTHS[month - 1] ?? ''} ${year}`;
}

/**
 * A moment in Beijing time: `2026年11月27日 15:04` or `27 Nov 2026, 15:04 (Beijing time)`.
 *
 * @param epochMs milliseconds since the epoch, as the database keeps times.
 */
export function formatDateTime(lang: Lang, epochMs: number): string {
  const c = wallClock(epochMs);
  const day = dayText(lang, c.year, c.month, c.day);
  return lang === 'zh' ? `${day} ${c.hour}:${c.minute}` : `${day}, ${c.hour}:${c.minute} (Beijing time)`;
}

/**
 * A calendar date (`YYYY-MM-DD`, no time zone): `2026年11月1日` or `1 Nov 2026`. Anything else is
 * returned as given, so odd data still shows.
 */
export function formatDate(lang: Lang, isoDate: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  if (match === null) return isoDate;
  const month = Number(match[2]);
  const day = Number(match[3]);
  if (month < 1 || month > 12 || day < 1 || day > 31) return isoDate;
  return dayText(lang, Number(match[1]), month, day);
}
