/** Words every screen uses: buttons, statuses, roles, document kinds, form rules, error codes. */
export const common = {
  actions: '操作',
  archive: '归档',
  back: '返回',
  backHome: '回到首页',
  cancel: '取消',
  delete: '删除',
  edit: '编辑',
  forbiddenTitle: '无权访问',
  forbiddenText: '您的角色不能打开此页面。',
  noMatch: '没有符合条件的记录，换个关键词试试。',
  notFoundTitle: '页面不存在',
  notFoundText: '地址可能有误，或页面已移动。',
  preview: '预览',
  regionPlaceholder: '选择省 / 市 / 区县',
  restore: '恢复',
  save: '保存',
  saved: '已保存',
  selectToPreview: '在左侧选择一份文件即可在此预览',
  status: '状态',
  total: '共 {total} 条',
  updatedAt: '更新时间',
  yes: '是',
  no: '否',
  view: '查看',
};

export const menu = {
  onboarding: '资质认证',
  products: '产品管理',
  codes: '赋码管理',
  batches: '批次管理',
  reviews: '入驻审核',
  enterprises: '企业管理',
  regulators: '监管账号',
};

export const shell = {
  product: 'Tracemark 追溯防伪',
  slogan: '来源可查 · 去向可追 · 责任可究',
  platform: '平台运营',
  jurisdiction: '辖区：',
  changePassword: '修改密码',
  logout: '退出登录',
};

export const roles = {
  platform_operator: '平台运营方',
  enterprise_admin: '企业管理员',
  enterprise_operator: '企业操作员',
  distributor_user: '经销商',
  regulator: '监管部门',
};

export const status = {
  draft: '草稿',
  pending_review: '待审核',
  approved: '已通过',
  rejected: '已驳回',
  suspended: '已暂停',
  pending: '待审核',
  verified: '已核验',
  active: '在用',
  archived: '已归档',
  retired: '已停用',
  disabled: '已停用',
};

export const documentKinds = {
  business_licence: '营业执照',
  trademark: '商标注册证或授权书',
  production_licence: '生产 / 卫生许可证',
  quality_inspection: '质检合格证明 / 检测报告',
  product_specification: '产品说明书',
  foreign_equivalent: '境外产品对应文件',
  other: '其他证书',
};

export const rules = {
  required: '请填写此项',
  length: '长度应为 {min}–{max} 个字符',
  maxLength: '最多 {max} 个字符',
  passwordWeak: '至少 10 个字符，须同时包含字母和数字',
  confirmMismatch: '两次输入的密码不一致',
  usccInvalid: '统一社会信用代码有误（18 位，校验码不符）',
  gtinInvalid: 'GTIN 有误：应为 8、12、13 或 14 位数字，且校验位正确',
  email: '邮箱格式不正确',
  phone: '电话号码格式不正确',
  url: '请输入以 http:// 或 https:// 开头的网址',
};

/** The console's words for the server's error codes (docs/errors.md); others show the server's message. */
export const errors = {
  network: '无法连接服务器，请检查网络后重试。',
  fieldInvalid: '此项不符合要求',
  TRACE_HTTP_VALIDATION: '提交的内容不符合要求，请检查标红的项。',
  TRACE_HTTP_RATE_LIMITED: '操作太频繁，请稍后再试。',
  TRACE_INTERNAL: '服务器出错了，请稍后再试。',
  TRACE_AUTH_REQUIRED: '登录已过期，请重新登录。',
  TRACE_AUTH_INVALID_CREDENTIALS: '用户名或密码错误。',
  TRACE_AUTH_FORBIDDEN: '您的角色无权进行此操作。',
  TRACE_AUTH_CSRF: '页面已过期，请刷新后重试。',
  TRACE_AUTH_ACCOUNT_DISABLED: '此账号已停用。',
  TRACE_AUTH_WEAK_PASSWORD: '密码太弱：至少 10 个字符，须同时包含字母和数字。',
  TRACE_AUTH_WRONG_PASSWORD: '当前密码不正确。',
  TRACE_USER_USERNAME_TAKEN: '该用户名已被使用。',
  TRACE_USER_JURISDICTION_INVALID: '辖区不是有效的 GB/T 2260 行政区划代码。',
  TRACE_ENTERPRISE_USCC_INVALID: '统一社会信用代码有误。',
  TRACE_ENTERPRISE_USCC_TAKEN: '该统一社会信用代码已注册。',
  TRACE_ENTERPRISE_REGION_INVALID: '所在地区不是有效的行政区划。',
  TRACE_ENTERPRISE_STATE: '企业当前状态不允许此操作。',
  TRACE_ENTERPRISE_DOCUMENTS_MISSING: '请先上传营业执照再提交审核。',
  TRACE_ENTERPRISE_SUSPENDED: '企业已被暂停，暂不能修改数据。',
  TRACE_ENTERPRISE_NOT_APPROVED: '企业通过入驻审核后才能进行此操作。',
  TRACE_DOCUMENT_LOCKED: '已核验的文件不能删除，请上传新版本。',
  TRACE_DOCUMENT_DATE_INVALID: '有效期不是有效日期。',
  TRACE_FILE_MISSING: '请选择文件。',
  TRACE_FILE_TYPE: '只接受 PDF、JPEG 或 PNG 文件。',
  TRACE_FILE_TOO_LARGE: '文件超过上传大小限制。',
  TRACE_PRODUCT_GTIN_INVALID: 'GTIN 有误（长度或 GS1 校验位）。',
  TRACE_PRODUCT_GTIN_TAKEN: '本企业已有产品使用此 GTIN。',
  TRACE_PRODUCT_ARCHIVED: '该产品已归档。',
  TRACE_BATCH_LOT_TAKEN: '该产品已有相同批号的批次。',
  TRACE_BATCH_DATES_INVALID: '到期日期不能早于生产日期。',
  TRACE_BATCH_ARCHIVED: '该批次已归档。',
};
