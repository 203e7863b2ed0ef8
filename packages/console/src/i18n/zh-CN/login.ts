export const login = {
  title: '登录',
  username: '用户名',
  usernameRequired: '请输入用户名',
  password: '密码',
  passwordRequired: '请输入密码',
  submit: '登录',
  noAccount: '企业还没有账号？',
  register: '申请入驻',
};

export const password = {
  title: '修改密码',
  forced: '首次登录或密码被重置后，请先设置新密码再继续使用。',
  current: '当前密码',
  new: '新密码',
  confirm: '确认新密码',
  submit: '修改密码',
  changed: '密码已修改',
};
