/**
 * GS1 CBV 2.0 words in Chinese, in one place for every traceability screen: business steps
 * (业务步骤), dispositions (状态), event types and actions, the trace stages (溯源环节), business
 * transaction types, the kinds of nodes and links of a trace graph, and common units.
 */
export const bizStep = {
  accepting: '验收',
  arriving: '到达',
  assembling: '组装',
  collecting: '收集',
  commissioning: '赋码投产',
  consigning: '寄售',
  creating_class_instance: '批次生产',
  cycle_counting: '循环盘点',
  decommissioning: '停用',
  departing: '离开',
  destroying: '销毁',
  disassembling: '拆解',
  dispensing: '分装发放',
  encoding: '编码',
  entering_exiting: '进出',
  holding: '扣留',
  inspecting: '检验',
  installing: '安装',
  killing: '注销',
  loading: '装载',
  other: '其他',
  packing: '装箱',
  picking: '出库拣货',
  receiving: '收货',
  removing: '移除',
  repackaging: '重新包装',
  repairing: '维修',
  replacing: '替换',
  reserving: '预留',
  retail_selling: '零售',
  shipping: '发货',
  staging_outbound: '待发',
  stock_taking: '盘点',
  stocking: '上架',
  storing: '入库存储',
  transporting: '运输',
  unloading: '卸货',
  unpacking: '拆箱',
  void_shipping: '取消发货',
  sensor_reporting: '传感器上报',
  sampling: '抽样',
};

export const disposition = {
  active: '在用',
  container_closed: '容器已封闭',
  damaged: '已损坏',
  destroyed: '已销毁',
  dispensed: '已发放',
  disposed: '已处置',
  encoded: '已编码',
  expired: '已过期',
  in_progress: '处理中',
  in_transit: '运输中',
  inactive: '未启用',
  no_pedigree_match: '谱系不符',
  non_sellable_other: '不可销售',
  partially_dispensed: '部分发放',
  recalled: '已召回',
  reserved: '已预留',
  retail_sold: '已售出',
  returned: '已退货',
  sellable_accessible: '可售（在架）',
  sellable_not_accessible: '可售（在库）',
  stolen: '被盗',
  unknown: '未知',
  available: '可用',
  completeness_verified: '完整性已核验',
  completeness_inferred: '完整性已推定',
  conformant: '合格',
  container_open: '容器已开启',
  mismatch_instance: '实例不符',
  mismatch_class: '品类不符',
  mismatch_quantity: '数量不符',
  needs_replacement: '需更换',
  non_conformant: '不合格',
  unavailable: '不可用',
};

export const eventType = {
  ObjectEvent: '对象事件',
  AggregationEvent: '聚合事件',
  TransformationEvent: '转换事件',
  TransactionEvent: '交易事件',
  AssociationEvent: '关联事件',
};

export const eventAction = {
  ADD: '新增',
  OBSERVE: '观察',
  DELETE: '删除',
};

export const stage = {
  raw_material: '原料',
  production: '生产',
  processing: '加工包装',
  warehousing: '仓储',
  logistics: '物流',
  channel: '渠道',
  store: '门店',
  terminal: '终端',
  recall: '召回',
  other: '其他',
};

export const btt = {
  bol: '提单',
  cert: '证书',
  desadv: '发货单',
  inv: '发票',
  pedigree: '谱系',
  po: '采购订单',
  poc: '采购订单确认',
  prodorder: '生产订单',
  recadv: '收货通知',
  rma: '退货授权',
  testprd: '检测产品',
  testres: '检测结果',
  upevt: '上游事件',
};

export const nodeKind = {
  item: '单品',
  case: '箱',
  pallet: '托盘',
  lot: '原料批次',
  batch: '生产批次',
  code_range: '码段',
  party: '参与方',
  location: '地点',
  other: '其他标识',
};

export const linkKind = {
  contains: '包含',
  'transformed-into': '加工为',
  'shipped-to': '发往',
  commissioned: '赋码',
};

export const unit = {
  KGM: '千克',
  GRM: '克',
  TNE: '吨',
  LTR: '升',
  MLT: '毫升',
  H87: '件',
  BX: '盒',
  CT: '箱',
  PR: '双',
};
