<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>ActivationDialog</name>
    <message>
        <location filename="../../ui/dialogs/activation.py" line="33"/>
        <source>Activate this PC</source>
        <translation>激活本机</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/activation.py" line="38"/>
        <source>The lender gives each store a one-time activation code. Activation makes this PC that store&apos;s counter: its name, opening hours and staff list come from the lender, and the demo accounts are removed (staff then sign in with their own). Applications filed from then on are sent at the next sync.</source>
        <translation>贷款机构为每家门店发放一次性激活码。激活后本机即成为该门店的柜台电脑：门店名称、营业时间和员工名单均来自贷款机构，演示账户将被删除（员工随后使用自己的账户登录）。此后提交的申请将在下次同步时发送。</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/activation.py" line="55"/>
        <source>Central &amp;server</source>
        <translation>中央服务器(&amp;S)</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/activation.py" line="56"/>
        <source>S&amp;tore code</source>
        <translation>门店编号(&amp;T)</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/activation.py" line="57"/>
        <source>One-time &amp;code</source>
        <translation>一次性激活码(&amp;C)</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/activation.py" line="68"/>
        <location filename="../../ui/dialogs/activation.py" line="89"/>
        <source>&amp;Activate</source>
        <translation>激活(&amp;A)</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/activation.py" line="70"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/activation.py" line="81"/>
        <source>Activating…</source>
        <translation>正在激活…</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/activation.py" line="90"/>
        <source>Activation failed; logged.</source>
        <translation>激活失败，已记入日志。</translation>
    </message>
</context>
<context>
    <name>AddStaffDialog</name>
    <message>
        <location filename="../../ui/dialogs/staff.py" line="89"/>
        <source>Add staff</source>
        <translation>添加员工</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/staff.py" line="102"/>
        <source>Staff number</source>
        <translation>员工编号</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/staff.py" line="103"/>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/staff.py" line="104"/>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/staff.py" line="105"/>
        <source>ID number</source>
        <translation>身份证号码</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/staff.py" line="106"/>
        <source>Mobile</source>
        <translation>手机号码</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/staff.py" line="110"/>
        <source>The two PIN entries differ.</source>
        <translation>两次输入的 PIN 不一致。</translation>
    </message>
</context>
<context>
    <name>CancelDialog</name>
    <message>
        <location filename="../../ui/pages/drafts.py" line="55"/>
        <source>Cancel application</source>
        <translation>取消申请</translation>
    </message>
    <message>
        <location filename="../../ui/pages/drafts.py" line="58"/>
        <source>Cancel application {reference}? Say why (the customer&apos;s words):</source>
        <translation>取消申请 {reference}？请说明原因（按客户的说法）：</translation>
    </message>
    <message>
        <location filename="../../ui/pages/drafts.py" line="64"/>
        <source>e.g. the customer changed their mind</source>
        <translation>例如：客户改变了主意</translation>
    </message>
    <message>
        <location filename="../../ui/pages/drafts.py" line="71"/>
        <source>Cancel the &amp;application</source>
        <translation>取消申请(&amp;A)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/drafts.py" line="72"/>
        <source>&amp;Keep it</source>
        <translation>保留(&amp;K)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/drafts.py" line="97"/>
        <source>Cancelling failed; logged.</source>
        <translation>取消失败，已记录日志。</translation>
    </message>
</context>
<context>
    <name>CardCheck</name>
    <message>
        <location filename="../../ui/widgets/card_check.py" line="76"/>
        <source>Repayment card</source>
        <translation>还款卡</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/card_check.py" line="77"/>
        <source>&amp;Another card</source>
        <translation>另一张卡(&amp;A)</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/card_check.py" line="78"/>
        <source>the number of another debit card in the customer&apos;s name</source>
        <translation>客户本人名下另一张借记卡的卡号</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/card_check.py" line="79"/>
        <source>Chec&amp;k card</source>
        <translation>核验卡片(&amp;K)</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/card_check.py" line="147"/>
        <source>The card could not be checked; the error has been logged.</source>
        <translation>卡片无法核验，错误已记入日志。</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/card_check.py" line="156"/>
        <source>Checking the card with the bank through the lender…</source>
        <translation>正在通过资金方向银行核验卡片…</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/card_check.py" line="161"/>
        <source>The bank refused this card: ask for another card.</source>
        <translation>银行未通过此卡：请客户换一张卡。</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/card_check.py" line="163"/>
        <source>The card is checked with the bank when this page opens.</source>
        <translation>打开本页时会向银行核验此卡。</translation>
    </message>
</context>
<context>
    <name>CentralSignIn</name>
    <message>
        <location filename="../../ui/reports/central_sign_in.py" line="53"/>
        <source>Regional managers: sign in with your central account to see the stores of your region side by side. The figures are kept on this PC so they open when the network is down.</source>
        <translation>区域经理：请用中央账户登录，并列查看本区域各门店。数据会保存在本机，断网时也能打开。</translation>
    </message>
    <message>
        <location filename="../../ui/reports/central_sign_in.py" line="57"/>
        <source>Central ser&amp;ver</source>
        <translation>中央服务器(&amp;V)</translation>
    </message>
    <message>
        <location filename="../../ui/reports/central_sign_in.py" line="58"/>
        <source>&amp;User name</source>
        <translation>用户名(&amp;U)</translation>
    </message>
    <message>
        <location filename="../../ui/reports/central_sign_in.py" line="59"/>
        <source>Pass&amp;word</source>
        <translation>密码(&amp;W)</translation>
    </message>
    <message>
        <location filename="../../ui/reports/central_sign_in.py" line="61"/>
        <source>Sign &amp;in</source>
        <translation>登录(&amp;I)</translation>
    </message>
    <message>
        <location filename="../../ui/reports/central_sign_in.py" line="67"/>
        <source>Enter the server, your user name and your password.</source>
        <translation>请输入服务器、用户名和密码。</translation>
    </message>
    <message>
        <location filename="../../ui/reports/central_sign_in.py" line="70"/>
        <source>Signing in…</source>
        <translation>正在登录…</translation>
    </message>
</context>
<context>
    <name>CustomerForm</name>
    <message>
        <location filename="../../ui/widgets/customer_form.py" line="24"/>
        <source>Identity</source>
        <translation>身份信息</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/customer_form.py" line="26"/>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/customer_form.py" line="29"/>
        <source>ID number</source>
        <translation>身份证号码</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/customer_form.py" line="30"/>
        <source>18 digits</source>
        <translation>18 位</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/customer_form.py" line="32"/>
        <source>Birth date</source>
        <translation>出生日期</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/customer_form.py" line="35"/>
        <source>ID valid until</source>
        <translation>证件有效期至</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/customer_form.py" line="36"/>
        <source>YYYY-MM-DD or 长期</source>
        <translation>YYYY-MM-DD 或 长期</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/customer_form.py" line="41"/>
        <source>Contact</source>
        <translation>联系方式</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/customer_form.py" line="43"/>
        <source>Mobile phone</source>
        <translation>手机号码</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/customer_form.py" line="44"/>
        <source>Address</source>
        <translation>住址</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/customer_form.py" line="48"/>
        <source>Work and money</source>
        <translation>工作与收支</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/customer_form.py" line="50"/>
        <source>Job type</source>
        <translation>职业类型</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/customer_form.py" line="51"/>
        <source>Employer</source>
        <translation>工作单位</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/customer_form.py" line="52"/>
        <source>Years at the job</source>
        <translation>本单位工作年限</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/customer_form.py" line="53"/>
        <source>Monthly income (CNY)</source>
        <translation>月收入（元）</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/customer_form.py" line="54"/>
        <source>Monthly expenses (CNY)</source>
        <translation>月支出（元）</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/customer_form.py" line="55"/>
        <source>Assets (CNY)</source>
        <translation>资产（元）</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/customer_form.py" line="56"/>
        <source>Existing monthly debt payments (CNY)</source>
        <translation>现有每月还款额（元）</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/customer_form.py" line="57"/>
        <source>Overdue records (self-declared)</source>
        <translation>逾期记录（自报）</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/customer_form.py" line="58"/>
        <source>Housing</source>
        <translation>居住情况</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/customer_form.py" line="62"/>
        <source>Emergency contact</source>
        <translation>紧急联系人</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/customer_form.py" line="64"/>
        <source>Contact&apos;s name</source>
        <translation>联系人姓名</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/customer_form.py" line="65"/>
        <source>Contact&apos;s mobile</source>
        <translation>联系人手机</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/customer_form.py" line="66"/>
        <source>Relation</source>
        <translation>关系</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/customer_form.py" line="70"/>
        <source>Repayment</source>
        <translation>还款</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/customer_form.py" line="71"/>
        <source>Repayment debit card</source>
        <translation>还款借记卡</translation>
    </message>
</context>
<context>
    <name>CustomerFormWidget</name>
    <message>
        <location filename="../../ui/widgets/customer_form.py" line="190"/>
        <source>— choose —</source>
        <translation>— 请选择 —</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/customer_form.py" line="197"/>
        <source>Change</source>
        <translation>更改</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/customer_form.py" line="198"/>
        <source>Type a different ID number</source>
        <translation>输入另一个身份证号码</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/customer_form.py" line="348"/>
        <source>From the ID number: {sex}, born {date}</source>
        <translation>身份证号码显示：{sex}，出生日期 {date}</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/customer_form.py" line="349"/>
        <source>male</source>
        <translation>男</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/customer_form.py" line="349"/>
        <source>female</source>
        <translation>女</translation>
    </message>
</context>
<context>
    <name>CustomerPage</name>
    <message>
        <location filename="../../ui/pages/customer.py" line="123"/>
        <source>Customer details</source>
        <translation>客户资料</translation>
    </message>
    <message>
        <location filename="../../ui/pages/customer.py" line="124"/>
        <source>&amp;Save (Ctrl+S)</source>
        <translation>保存(&amp;S) Ctrl+S</translation>
    </message>
    <message>
        <location filename="../../ui/pages/customer.py" line="125"/>
        <source>C&amp;lear</source>
        <translation>清空(&amp;L)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/customer.py" line="177"/>
        <source>No application is open. The customer starts one on the customer screen by giving their consents; until then what is typed here stays on this screen and is not saved.</source>
        <translation>当前没有打开的申请。客户在客户屏上给出同意后才会开始申请；在此之前，这里输入的内容只留在屏幕上，不会保存。</translation>
    </message>
    <message>
        <location filename="../../ui/pages/customer.py" line="181"/>
        <source>Application {reference}: checking the customer&apos;s consents…</source>
        <translation>申请 {reference}：正在核对客户的同意…</translation>
    </message>
    <message>
        <location filename="../../ui/pages/customer.py" line="185"/>
        <source>Application {reference}: waiting for the customer&apos;s consent to {kinds}.</source>
        <translation>申请 {reference}：等待客户同意：{kinds}。</translation>
    </message>
    <message>
        <location filename="../../ui/pages/customer.py" line="189"/>
        <source>Application {reference}: the customer has given the consents needed.</source>
        <translation>申请 {reference}：客户已给出所需的同意。</translation>
    </message>
    <message>
        <location filename="../../ui/pages/customer.py" line="234"/>
        <source>The ID number could not be revealed; the error has been logged.</source>
        <translation>无法显示完整身份证号码，错误已记录日志。</translation>
    </message>
    <message>
        <location filename="../../ui/pages/customer.py" line="286"/>
        <source>the error has been logged</source>
        <translation>错误已记入日志</translation>
    </message>
    <message>
        <location filename="../../ui/pages/customer.py" line="287"/>
        <source>The ID photo could not be kept with the application: {reason}</source>
        <translation>证件照片未能随申请保存：{reason}</translation>
    </message>
    <message>
        <location filename="../../ui/pages/customer.py" line="323"/>
        <source>Nothing was saved: no application is open, so the customer has not given consent yet.</source>
        <translation>未保存：当前没有打开的申请，客户尚未给出同意。</translation>
    </message>
    <message>
        <location filename="../../ui/pages/customer.py" line="327"/>
        <source>Correct the marked fields, then save again.</source>
        <translation>请更正标出的字段后再保存。</translation>
    </message>
    <message>
        <location filename="../../ui/pages/customer.py" line="342"/>
        <source>Saved for application {reference}.</source>
        <translation>已保存到申请 {reference}。</translation>
    </message>
    <message>
        <location filename="../../ui/pages/customer.py" line="354"/>
        <source>Saving failed unexpectedly; it has been logged. Nothing was saved.</source>
        <translation>保存时发生意外错误，已记录日志。未保存任何内容。</translation>
    </message>
</context>
<context>
    <name>CustomerWindow</name>
    <message>
        <location filename="../../ui/customer_display/texts.py" line="40"/>
        <source>Welcome</source>
        <translation>欢迎</translation>
    </message>
    <message>
        <location filename="../../ui/customer_display/texts.py" line="41"/>
        <source>The sales consultant will start your application here.</source>
        <translation>销售顾问将在这里为您开始申请。</translation>
    </message>
    <message>
        <location filename="../../ui/customer_display/texts.py" line="42"/>
        <source>Before we begin: your consent</source>
        <translation>开始之前：请您确认同意</translation>
    </message>
    <message>
        <location filename="../../ui/customer_display/texts.py" line="43"/>
        <source>Please read each text. Each consent is separate and up to you; without both, the application ends and nothing about you is kept.</source>
        <translation>请阅读每一份文本。每项同意都是单独的，由您自主决定；如不同意其中任一项，申请即结束，不会保留您的任何信息。</translation>
    </message>
    <message>
        <location filename="../../ui/customer_display/texts.py" line="48"/>
        <source>I have read this and agree</source>
        <translation>我已阅读并同意</translation>
    </message>
    <message>
        <location filename="../../ui/customer_display/texts.py" line="49"/>
        <source>Version {version}</source>
        <translation>版本 {version}</translation>
    </message>
    <message>
        <location filename="../../ui/customer_display/texts.py" line="50"/>
        <source>Continue</source>
        <translation>继续</translation>
    </message>
    <message>
        <location filename="../../ui/customer_display/texts.py" line="51"/>
        <source>I do not agree</source>
        <translation>我不同意</translation>
    </message>
    <message>
        <location filename="../../ui/customer_display/texts.py" line="52"/>
        <source>Your installment plan</source>
        <translation>您的分期方案</translation>
    </message>
    <message>
        <location filename="../../ui/customer_display/texts.py" line="53"/>
        <source>Annualised rate (APR)</source>
        <translation>年化利率 (APR)</translation>
    </message>
    <message>
        <location filename="../../ui/customer_display/texts.py" line="54"/>
        <source>Sign here with the pen or your finger</source>
        <translation>请用手写笔或手指在此签名</translation>
    </message>
    <message>
        <location filename="../../ui/customer_display/texts.py" line="55"/>
        <source>Clear</source>
        <translation>重写</translation>
    </message>
    <message>
        <location filename="../../ui/customer_display/texts.py" line="56"/>
        <source>Undo</source>
        <translation>撤回一笔</translation>
    </message>
    <message>
        <location filename="../../ui/customer_display/texts.py" line="57"/>
        <source>Sign</source>
        <translation>签署</translation>
    </message>
    <message>
        <location filename="../../ui/customer_display/texts.py" line="58"/>
        <source>Thank you</source>
        <translation>谢谢</translation>
    </message>
    <message>
        <location filename="../../ui/customer_display/texts.py" line="59"/>
        <source>Your application {reference} has started.</source>
        <translation>您的申请 {reference} 已开始。</translation>
    </message>
    <message>
        <location filename="../../ui/customer_display/texts.py" line="60"/>
        <source>Your contract {reference} is signed. You will receive a copy.</source>
        <translation>您的合同 {reference} 已签署，您将收到一份副本。</translation>
    </message>
    <message>
        <location filename="../../ui/customer_display/texts.py" line="61"/>
        <source>The application has ended. Nothing about you has been kept.</source>
        <translation>申请已结束，未保留您的任何信息。</translation>
    </message>
    <message>
        <location filename="../../ui/customer_display/texts.py" line="62"/>
        <source>Due date</source>
        <translation>还款日</translation>
    </message>
    <message>
        <location filename="../../ui/customer_display/texts.py" line="63"/>
        <source>Amount (CNY)</source>
        <translation>金额（元）</translation>
    </message>
    <message>
        <location filename="../../ui/customer_display/texts.py" line="64"/>
        <source>Amount financed</source>
        <translation>借款金额</translation>
    </message>
    <message>
        <location filename="../../ui/customer_display/texts.py" line="65"/>
        <source>Price</source>
        <translation>价格</translation>
    </message>
    <message>
        <location filename="../../ui/customer_display/texts.py" line="66"/>
        <source>Down payment</source>
        <translation>首付</translation>
    </message>
    <message>
        <location filename="../../ui/customer_display/texts.py" line="67"/>
        <source>Term</source>
        <translation>期数</translation>
    </message>
    <message>
        <location filename="../../ui/customer_display/texts.py" line="68"/>
        <source>{n} months</source>
        <translation>{n} 期</translation>
    </message>
    <message>
        <location filename="../../ui/customer_display/texts.py" line="69"/>
        <source>Total repayable</source>
        <translation>应还总额</translation>
    </message>
    <message>
        <location filename="../../ui/customer_display/texts.py" line="70"/>
        <source>Total cost</source>
        <translation>总成本</translation>
    </message>
    <message>
        <location filename="../../ui/customer_display/texts.py" line="71"/>
        <source>Product</source>
        <translation>产品</translation>
    </message>
    <message>
        <location filename="../../ui/customer_display/texts.py" line="72"/>
        <source>Goods</source>
        <translation>商品</translation>
    </message>
    <message>
        <location filename="../../ui/customer_display/texts.py" line="73"/>
        <source>To continue, please read and tick: {consents}</source>
        <translation>请阅读并勾选后继续：{consents}</translation>
    </message>
    <message>
        <location filename="../../ui/customer_display/texts.py" line="74"/>
        <source>Before signing, please read and tick: {consents}</source>
        <translation>签名前，请阅读并勾选：{consents}</translation>
    </message>
    <message>
        <location filename="../../ui/customer_display/texts.py" line="75"/>
        <source>{first}; {then}</source>
        <translation>{first}、{then}</translation>
    </message>
    <message>
        <location filename="../../ui/customer_display/texts.py" line="76"/>
        <source>Please sign in the box before confirming.</source>
        <translation>请先在框内签名，再确认。</translation>
    </message>
    <message>
        <location filename="../../ui/customer_display/texts.py" line="77"/>
        <source>That is too short to be a signature: please sign your full name.</source>
        <translation>签名过于简单：请签署您的全名。</translation>
    </message>
    <message>
        <location filename="../../ui/customer_display/texts.py" line="80"/>
        <source>Do you really not agree?</source>
        <translation>您确定不同意吗？</translation>
    </message>
    <message>
        <location filename="../../ui/customer_display/texts.py" line="81"/>
        <source>If you do not agree, the application ends here and nothing about you is kept.</source>
        <translation>如不同意，申请将在此结束，不会保留您的任何信息。</translation>
    </message>
    <message>
        <location filename="../../ui/customer_display/texts.py" line="84"/>
        <source>Yes, I do not agree</source>
        <translation>是的，我不同意</translation>
    </message>
    <message>
        <location filename="../../ui/customer_display/texts.py" line="85"/>
        <source>Go back</source>
        <translation>返回</translation>
    </message>
    <message>
        <location filename="../../ui/customer_display/texts.py" line="87"/>
        <source>Confirm with the code sent to your phone</source>
        <translation>请输入手机收到的验证码</translation>
    </message>
    <message>
        <location filename="../../ui/customer_display/texts.py" line="88"/>
        <source>A six-digit code is on its way to your phone by SMS…</source>
        <translation>六位验证码正通过短信发往您的手机…</translation>
    </message>
    <message>
        <location filename="../../ui/customer_display/texts.py" line="89"/>
        <source>We sent a six-digit code by SMS to {phone}.
Type it here with the buttons, then tap Confirm.
It shows the lender that this application is yours.</source>
        <translation>我们已通过短信向 {phone} 发送六位验证码。
请用按钮输入，然后点“确认”。
这能向贷款方证明这份申请由您本人提出。</translation>
    </message>
    <message>
        <location filename="../../ui/customer_display/texts.py" line="94"/>
        <source>We sent a six-digit code by SMS to your mobile phone.
Type it here with the buttons, then tap Confirm.
It shows the lender that this application is yours.</source>
        <translation>我们已通过短信向您的手机发送六位验证码。
请用按钮输入，然后点“确认”。
这能向贷款方证明这份申请由您本人提出。</translation>
    </message>
    <message>
        <location filename="../../ui/customer_display/texts.py" line="99"/>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <location filename="../../ui/customer_display/texts.py" line="100"/>
        <source>Confirm</source>
        <translation>确认</translation>
    </message>
    <message>
        <location filename="../../ui/customer_display/texts.py" line="101"/>
        <source>Checking the code…</source>
        <translation>正在核对验证码…</translation>
    </message>
    <message>
        <location filename="../../ui/customer_display/texts.py" line="102"/>
        <source>Please type all six digits of the code.</source>
        <translation>请输入全部六位验证码。</translation>
    </message>
    <message>
        <location filename="../../ui/customer_display/texts.py" line="103"/>
        <source>That code is not right. Please check the SMS and type it again. Tries left: {n}</source>
        <translation>验证码不正确，请查看短信后重新输入。剩余次数：{n}</translation>
    </message>
    <message>
        <location filename="../../ui/customer_display/texts.py" line="106"/>
        <source>This code has expired. The sales consultant will send you a new one.</source>
        <translation>验证码已过期，销售顾问将为您发送新的验证码。</translation>
    </message>
    <message>
        <location filename="../../ui/customer_display/texts.py" line="109"/>
        <source>Too many wrong tries. The sales consultant will help you go on.</source>
        <translation>输错次数过多，销售顾问将协助您继续。</translation>
    </message>
    <message>
        <location filename="../../ui/customer_display/texts.py" line="112"/>
        <source>A new code cannot be sent just yet. Please wait: the sales consultant will help you.</source>
        <translation>暂时还不能发送新的验证码。请稍候，销售顾问将协助您。</translation>
    </message>
    <message>
        <location filename="../../ui/customer_display/texts.py" line="115"/>
        <source>A new code cannot be sent just yet: please type the code you already received.</source>
        <translation>暂时还不能发送新的验证码：请输入您已收到的验证码。</translation>
    </message>
    <message>
        <location filename="../../ui/customer_display/texts.py" line="118"/>
        <source>Please wait a moment, then tap Confirm again.</source>
        <translation>请稍候，然后再点一次“确认”。</translation>
    </message>
    <message>
        <location filename="../../ui/customer_display/texts.py" line="119"/>
        <source>A new code was sent: only the newest code works.</source>
        <translation>已发送新的验证码：只有最新的验证码有效。</translation>
    </message>
    <message>
        <location filename="../../ui/customer_display/texts.py" line="120"/>
        <source>Your signing could not be confirmed by SMS now: the lender will call you to confirm it.</source>
        <translation>现在无法通过短信确认您的签约：贷款方将致电与您确认。</translation>
    </message>
</context>
<context>
    <name>DeliveryPage</name>
    <message>
        <location filename="../../ui/pages/delivery.py" line="84"/>
        <source>Delivery</source>
        <translation>交付</translation>
    </message>
    <message>
        <location filename="../../ui/pages/delivery.py" line="87"/>
        <source>Approved applications waiting for their goods. Select one, then scan or type the serial number or IMEI of the device handed over: Enter confirms the delivery.</source>
        <translation>已批准、等待交付商品的申请。选择一笔，然后扫描或输入所交付设备的序列号或 IMEI：按回车确认交付。</translation>
    </message>
    <message>
        <location filename="../../ui/pages/delivery.py" line="92"/>
        <source>Reference</source>
        <translation>申请编号</translation>
    </message>
    <message>
        <location filename="../../ui/pages/delivery.py" line="92"/>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <location filename="../../ui/pages/delivery.py" line="92"/>
        <source>Goods</source>
        <translation>商品</translation>
    </message>
    <message>
        <location filename="../../ui/pages/delivery.py" line="92"/>
        <source>Approved</source>
        <translation>批准时间</translation>
    </message>
    <message>
        <location filename="../../ui/pages/delivery.py" line="94"/>
        <source>&amp;Serial / IMEI</source>
        <translation>序列号 / IMEI(&amp;S)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/delivery.py" line="95"/>
        <source>Scan the barcode on the device or its box</source>
        <translation>扫描设备或包装盒上的条码</translation>
    </message>
    <message>
        <location filename="../../ui/pages/delivery.py" line="96"/>
        <source>&amp;Confirm delivery (Enter)</source>
        <translation>确认交付(&amp;C)（回车）</translation>
    </message>
    <message>
        <location filename="../../ui/pages/delivery.py" line="97"/>
        <source>Re&amp;fresh</source>
        <translation>刷新(&amp;F)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/delivery.py" line="133"/>
        <source>Nothing is waiting for delivery.</source>
        <translation>没有等待交付的申请。</translation>
    </message>
    <message>
        <location filename="../../ui/pages/delivery.py" line="169"/>
        <source>Select the application whose goods are handed over.</source>
        <translation>请选择要交付商品的申请。</translation>
    </message>
    <message>
        <location filename="../../ui/pages/delivery.py" line="184"/>
        <source>Delivered: {reference} has the serial recorded and has left the list.</source>
        <translation>已交付：{reference} 已登记序列号并移出列表。</translation>
    </message>
    <message>
        <location filename="../../ui/pages/delivery.py" line="205"/>
        <source>Confirming the delivery failed unexpectedly; it has been logged.</source>
        <translation>确认交付时发生意外错误，已记录日志。</translation>
    </message>
    <message>
        <location filename="../../ui/pages/delivery.py" line="215"/>
        <source>A different device</source>
        <translation>不同的设备</translation>
    </message>
    <message>
        <location filename="../../ui/pages/delivery.py" line="216"/>
        <source>Hand over this device for {reference} instead?</source>
        <translation>改为为 {reference} 交付这台设备？</translation>
    </message>
    <message>
        <location filename="../../ui/pages/delivery.py" line="218"/>
        <source>&amp;Hand over this device</source>
        <translation>交付这台设备(&amp;H)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/delivery.py" line="219"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../ui/pages/delivery.py" line="252"/>
        <source>The list could not be loaded; it has been logged.</source>
        <translation>无法加载列表，已记录日志。</translation>
    </message>
</context>
<context>
    <name>DraftsPage</name>
    <message>
        <location filename="../../ui/pages/drafts.py" line="201"/>
        <source>Drafts</source>
        <translation>草稿</translation>
    </message>
    <message>
        <location filename="../../ui/pages/drafts.py" line="202"/>
        <source>Search: customer name, mobile, last 4 of the ID number, or reference</source>
        <translation>搜索：客户姓名、手机号、身份证后 4 位或申请编号</translation>
    </message>
    <message>
        <location filename="../../ui/pages/drafts.py" line="203"/>
        <source>&amp;State</source>
        <translation>状态(&amp;S)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/drafts.py" line="204"/>
        <source>&amp;From</source>
        <translation>从(&amp;F)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/drafts.py" line="205"/>
        <source>&amp;To</source>
        <translation>到(&amp;T)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/drafts.py" line="206"/>
        <source>C&amp;lerk</source>
        <translation>店员(&amp;L)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/drafts.py" line="209"/>
        <source>any day</source>
        <translation>任意日期</translation>
    </message>
    <message>
        <location filename="../../ui/pages/drafts.py" line="213"/>
        <source>All open</source>
        <translation>全部未完成</translation>
    </message>
    <message>
        <location filename="../../ui/pages/drafts.py" line="219"/>
        <location filename="../../ui/pages/drafts.py" line="277"/>
        <source>Everyone</source>
        <translation>所有人</translation>
    </message>
    <message>
        <location filename="../../ui/pages/drafts.py" line="222"/>
        <source>Reference</source>
        <translation>申请编号</translation>
    </message>
    <message>
        <location filename="../../ui/pages/drafts.py" line="223"/>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <location filename="../../ui/pages/drafts.py" line="224"/>
        <source>Mobile</source>
        <translation>手机号</translation>
    </message>
    <message>
        <location filename="../../ui/pages/drafts.py" line="225"/>
        <source>ID number</source>
        <translation>身份证号码</translation>
    </message>
    <message>
        <location filename="../../ui/pages/drafts.py" line="226"/>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../ui/pages/drafts.py" line="227"/>
        <source>Clerk</source>
        <translation>店员</translation>
    </message>
    <message>
        <location filename="../../ui/pages/drafts.py" line="228"/>
        <source>Last change</source>
        <translation>最后修改</translation>
    </message>
    <message>
        <location filename="../../ui/pages/drafts.py" line="231"/>
        <source>&amp;Resume (Enter)</source>
        <translation>继续(&amp;R)（回车）</translation>
    </message>
    <message>
        <location filename="../../ui/pages/drafts.py" line="232"/>
        <source>&amp;Cancel application…</source>
        <translation>取消申请(&amp;C)…</translation>
    </message>
    <message>
        <location filename="../../ui/pages/drafts.py" line="291"/>
        <source>No open applications match.</source>
        <translation>没有符合条件的未完成申请。</translation>
    </message>
    <message>
        <location filename="../../ui/pages/drafts.py" line="305"/>
        <source>(not entered yet)</source>
        <translation>（尚未填写）</translation>
    </message>
    <message>
        <location filename="../../ui/pages/drafts.py" line="322"/>
        <source>Loading failed; logged.</source>
        <translation>加载失败，已记录日志。</translation>
    </message>
    <message>
        <location filename="../../ui/pages/drafts.py" line="386"/>
        <source>Application {reference} is cancelled.</source>
        <translation>申请 {reference} 已取消。</translation>
    </message>
</context>
<context>
    <name>EndOfDayPage</name>
    <message>
        <location filename="../../ui/pages/end_of_day.py" line="137"/>
        <source>End of day</source>
        <translation>日终汇总</translation>
    </message>
    <message>
        <location filename="../../ui/pages/end_of_day.py" line="138"/>
        <source>&amp;Day</source>
        <translation>日期(&amp;D)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/end_of_day.py" line="139"/>
        <source>&amp;Refresh (F5)</source>
        <translation>刷新(&amp;R)（F5）</translation>
    </message>
    <message>
        <location filename="../../ui/pages/end_of_day.py" line="140"/>
        <source>Applications started</source>
        <translation>新建申请</translation>
    </message>
    <message>
        <location filename="../../ui/pages/end_of_day.py" line="141"/>
        <source>Waiting to be sent</source>
        <translation>等待发送</translation>
    </message>
    <message>
        <location filename="../../ui/pages/end_of_day.py" line="142"/>
        <source>Refused by the lender</source>
        <translation>被贷款方拒收</translation>
    </message>
    <message>
        <location filename="../../ui/pages/end_of_day.py" line="143"/>
        <source>Left open at the counter</source>
        <translation>柜台未完成</translation>
    </message>
    <message>
        <location filename="../../ui/pages/end_of_day.py" line="144"/>
        <source>Started that day, by state now</source>
        <translation>当天新建的申请（按当前状态）</translation>
    </message>
    <message>
        <location filename="../../ui/pages/end_of_day.py" line="145"/>
        <source>Left open (not yet sent), oldest first</source>
        <translation>未完成（尚未发送），最早的在前</translation>
    </message>
    <message>
        <location filename="../../ui/pages/end_of_day.py" line="146"/>
        <location filename="../../ui/pages/end_of_day.py" line="148"/>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../ui/pages/end_of_day.py" line="146"/>
        <source>Applications</source>
        <translation>申请数</translation>
    </message>
    <message>
        <location filename="../../ui/pages/end_of_day.py" line="148"/>
        <source>Reference</source>
        <translation>申请编号</translation>
    </message>
    <message>
        <location filename="../../ui/pages/end_of_day.py" line="148"/>
        <source>Clerk</source>
        <translation>店员</translation>
    </message>
    <message>
        <location filename="../../ui/pages/end_of_day.py" line="148"/>
        <source>Started</source>
        <translation>开始时间</translation>
    </message>
    <message>
        <location filename="../../ui/pages/end_of_day.py" line="181"/>
        <source>The summary could not be read; the error has been logged.</source>
        <translation>无法读取汇总，错误已记录日志。</translation>
    </message>
    <message>
        <location filename="../../ui/pages/end_of_day.py" line="190"/>
        <source>the oldest for {minutes} min</source>
        <translation>最早一笔已等待 {minutes} 分钟</translation>
    </message>
    <message>
        <location filename="../../ui/pages/end_of_day.py" line="192"/>
        <source>the oldest for {hours} h {minutes} min</source>
        <translation>最早一笔已等待 {hours} 小时 {minutes} 分钟</translation>
    </message>
    <message>
        <location filename="../../ui/pages/end_of_day.py" line="193"/>
        <source>the oldest for {days} days</source>
        <translation>最早一笔已等待 {days} 天</translation>
    </message>
    <message>
        <location filename="../../ui/pages/end_of_day.py" line="206"/>
        <source>see the Sync page</source>
        <translation>见“同步”页面</translation>
    </message>
</context>
<context>
    <name>EvidencePage</name>
    <message>
        <location filename="../../ui/pages/evidence.py" line="41"/>
        <source>ID card front</source>
        <translation>身份证正面</translation>
    </message>
    <message>
        <location filename="../../ui/pages/evidence.py" line="42"/>
        <source>ID card back</source>
        <translation>身份证背面</translation>
    </message>
    <message>
        <location filename="../../ui/pages/evidence.py" line="43"/>
        <source>passport page</source>
        <translation>护照资料页</translation>
    </message>
    <message>
        <location filename="../../ui/pages/evidence.py" line="117"/>
        <source>Verify the customer</source>
        <translation>核验客户身份</translation>
    </message>
    <message>
        <location filename="../../ui/pages/evidence.py" line="120"/>
        <source>Take a photo of the customer here at the counter and compare it with the ID photo; the bank checks the repayment card. Then the customer reads and signs the terms.</source>
        <translation>在柜台为客户现场拍照，并与证件照片比对；银行核验还款卡。之后由客户阅读并签署条款。</translation>
    </message>
    <message>
        <location filename="../../ui/pages/evidence.py" line="124"/>
        <source>ID photo</source>
        <translation>证件照片</translation>
    </message>
    <message>
        <location filename="../../ui/pages/evidence.py" line="125"/>
        <source>Re&amp;veal (audited)</source>
        <translation>查看(&amp;V)（记入审计）</translation>
    </message>
    <message>
        <location filename="../../ui/pages/evidence.py" line="126"/>
        <source>&amp;Continue to signing (Enter)</source>
        <translation>继续签署(&amp;C)（回车）</translation>
    </message>
    <message>
        <location filename="../../ui/pages/evidence.py" line="229"/>
        <source>Kept with the application: {kinds}</source>
        <translation>已随申请保存：{kinds}</translation>
    </message>
    <message>
        <location filename="../../ui/pages/evidence.py" line="231"/>
        <source>None kept: scan the ID card on Customer details to keep its photo.</source>
        <translation>尚未保存：在“客户资料”页扫描身份证即可保存其照片。</translation>
    </message>
    <message>
        <location filename="../../ui/pages/evidence.py" line="246"/>
        <source>The ID photo is kept. Reveal shows it (the reveal is audited).</source>
        <translation>证件照片已保存。点击“查看”可显示（查看记入审计）。</translation>
    </message>
    <message>
        <location filename="../../ui/pages/evidence.py" line="247"/>
        <source>The ID photo is kept with the application; the store manager can reveal it.</source>
        <translation>证件照片已随申请保存，店长可查看。</translation>
    </message>
    <message>
        <location filename="../../ui/pages/evidence.py" line="248"/>
        <source>No ID photo</source>
        <translation>无证件照片</translation>
    </message>
    <message>
        <location filename="../../ui/pages/evidence.py" line="308"/>
        <source>Nothing to verify now: the customer is verified once the plan is fixed, before signing.</source>
        <translation>现在无需核验：方案确定后、签署前核验客户。</translation>
    </message>
    <message>
        <location filename="../../ui/pages/evidence.py" line="310"/>
        <source>Wait for the check to finish.</source>
        <translation>请等待检测完成。</translation>
    </message>
    <message>
        <location filename="../../ui/pages/evidence.py" line="312"/>
        <source>Take a live photo of the customer first.</source>
        <translation>请先为客户拍摄现场照片。</translation>
    </message>
    <message>
        <location filename="../../ui/pages/evidence.py" line="313"/>
        <source>The bank refused the repayment card: type another card of the customer&apos;s and press Enter.</source>
        <translation>银行未通过该还款卡：请输入客户本人的另一张银行卡并按回车。</translation>
    </message>
    <message>
        <location filename="../../ui/pages/evidence.py" line="345"/>
        <source>Something went wrong; it has been logged.</source>
        <translation>出现错误，已记入日志。</translation>
    </message>
</context>
<context>
    <name>LivePhoto</name>
    <message>
        <location filename="../../ui/widgets/live_photo.py" line="161"/>
        <source>Live photo</source>
        <translation>现场照片</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/live_photo.py" line="162"/>
        <source>&amp;Take photo</source>
        <translation>拍照(&amp;T)</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/live_photo.py" line="163"/>
        <source>C&amp;hoose photo…</source>
        <translation>选择照片(&amp;H)…</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/live_photo.py" line="164"/>
        <source>&amp;Retake</source>
        <translation>重拍(&amp;R)</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/live_photo.py" line="204"/>
        <source>The camera cannot be opened: {reason}</source>
        <translation>无法打开摄像头：{reason}</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/live_photo.py" line="208"/>
        <source>The camera stopped: {reason}</source>
        <translation>摄像头已停止：{reason}</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/live_photo.py" line="218"/>
        <source>Choose a photo file instead.</source>
        <translation>请改为选择照片文件。</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/live_photo.py" line="256"/>
        <source>Choose the customer&apos;s photo</source>
        <translation>选择客户照片</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/live_photo.py" line="256"/>
        <source>Images (*.jpg *.jpeg *.png)</source>
        <translation>图片 (*.jpg *.jpeg *.png)</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/live_photo.py" line="300"/>
        <source>The photo could not be checked; the error has been logged. Take it again.</source>
        <translation>照片无法检测，错误已记入日志。请重新拍摄。</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/live_photo.py" line="346"/>
        <source>Checking the photo…</source>
        <translation>正在检测照片…</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/live_photo.py" line="348"/>
        <source>Photo refused:</source>
        <translation>照片未通过：</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/live_photo.py" line="350"/>
        <source>✓ Photo passed: one face, clear and light enough. It is kept.</source>
        <translation>✓ 照片通过：一张人脸，清晰且光线充足。已保存。</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/live_photo.py" line="362"/>
        <source>A live photo is kept. Reveal shows it (the reveal is audited).</source>
        <translation>现场照片已保存。点击“查看”可显示（查看记入审计）。</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/live_photo.py" line="363"/>
        <source>A live photo is kept with the application.</source>
        <translation>申请已保存现场照片。</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/live_photo.py" line="365"/>
        <source>No live photo</source>
        <translation>无现场照片</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/live_photo.py" line="367"/>
        <source>Opening the camera…</source>
        <translation>正在打开摄像头…</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/live_photo.py" line="368"/>
        <source>No camera on this PC: choose a photo of the customer taken here today.</source>
        <translation>本机没有摄像头：请选择今天在本店拍摄的客户照片。</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/live_photo.py" line="374"/>
        <source>Ask the customer to look at the camera, face uncovered, then take the photo (Enter).</source>
        <translation>请客户正视摄像头、不遮挡面部，然后拍照（回车）。</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/live_photo.py" line="375"/>
        <source>Choose a photo of the customer&apos;s face, taken here today.</source>
        <translation>请选择今天在本店拍摄的客户面部照片。</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../ui/main_window.py" line="84"/>
        <source>Fenqi POS</source>
        <translation>分期 POS</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="85"/>
        <source>Offline · no central server configured yet</source>
        <translation>离线 · 尚未配置中央服务器</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="108"/>
        <source>ID number</source>
        <translation>身份证号码</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="109"/>
        <source>Passport</source>
        <translation>护照</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="110"/>
        <source>IMEI</source>
        <translation>IMEI 串号</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="111"/>
        <source>Barcode</source>
        <translation>条码</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="113"/>
        <source>valid</source>
        <translation>校验通过</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="113"/>
        <source>check failed</source>
        <translation>校验未通过</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="115"/>
        <source>Scanned {kind}: {value} ({state})</source>
        <translation>已扫描{kind}：{value}（{state}）</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="129"/>
        <source>Not signed in</source>
        <translation>未登录</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="161"/>
        <source>Offline · not activated yet</source>
        <translation>离线 · 本机尚未激活</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="165"/>
        <source>Online</source>
        <translation>在线</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="165"/>
        <source>Offline</source>
        <translation>离线</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="163"/>
        <source>Not synced yet</source>
        <translation>尚未同步</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="166"/>
        <source>{state} · {pending} waiting to send</source>
        <translation>{state} · {pending} 笔待发送</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="169"/>
        <source>{count} refused: see Sync</source>
        <translation>{count} 笔被拒收：见“同步”</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="175"/>
        <source>Something went wrong in the background; it has been logged.</source>
        <translation>后台任务出错，已记录到日志。</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="91"/>
        <source>Development mode: the data key is kept in {where}, not in the operating system&apos;s keyring. Do not use this mode in a store.</source>
        <translation>开发模式：数据密钥保存在{where}，而非操作系统钥匙串。门店正式使用时请勿启用此模式。</translation>
    </message>
</context>
<context>
    <name>NewApplicationPage</name>
    <message>
        <location filename="../../ui/pages/new_application.py" line="119"/>
        <source>New application</source>
        <translation>新建申请</translation>
    </message>
    <message>
        <location filename="../../ui/pages/new_application.py" line="120"/>
        <source>&amp;Start on the customer screen</source>
        <translation>在客户屏上开始(&amp;S)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/new_application.py" line="121"/>
        <source>Save contract PDF…</source>
        <translation>保存合同 PDF…</translation>
    </message>
    <message>
        <location filename="../../ui/pages/new_application.py" line="122"/>
        <source>&amp;Print contract</source>
        <translation>打印合同(&amp;P)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/new_application.py" line="123"/>
        <source>Print &amp;customer copy</source>
        <translation>打印客户联(&amp;C)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/new_application.py" line="124"/>
        <source>Send to the &amp;lender</source>
        <translation>发送给贷款方(&amp;L)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/new_application.py" line="174"/>
        <source>Application {reference} is open.</source>
        <translation>申请 {reference} 已打开。</translation>
    </message>
    <message>
        <location filename="../../ui/pages/new_application.py" line="176"/>
        <source>No application is open. Start one: the customer gives their consents on their screen.</source>
        <translation>当前没有打开的申请。请开始新申请：客户在客户屏上给出同意。</translation>
    </message>
    <message>
        <location filename="../../ui/pages/new_application.py" line="179"/>
        <source>The customer is reading the consents on their screen…</source>
        <translation>客户正在客户屏上阅读同意书…</translation>
    </message>
    <message>
        <location filename="../../ui/pages/new_application.py" line="181"/>
        <source>Application {reference}: the customer is typing the code sent to their phone…</source>
        <translation>申请 {reference}：客户正在输入手机收到的验证码…</translation>
    </message>
    <message>
        <location filename="../../ui/pages/new_application.py" line="186"/>
        <source>Application {reference}: the customer is reading the terms and signing; the confirmation by SMS is pending (the lender will call the customer).</source>
        <translation>申请 {reference}：客户正在阅读条款并签名；短信确认待完成（贷款方将致电客户）。</translation>
    </message>
    <message>
        <location filename="../../ui/pages/new_application.py" line="190"/>
        <source>Application {reference}: the customer is reading the terms and signing…</source>
        <translation>申请 {reference}：客户正在阅读条款并签名…</translation>
    </message>
    <message>
        <location filename="../../ui/pages/new_application.py" line="195"/>
        <source>Application {reference}: signed.</source>
        <translation>申请 {reference}：已签署。</translation>
    </message>
    <message>
        <location filename="../../ui/pages/new_application.py" line="197"/>
        <source>Application {reference}: consents given. Fill in the customer details.</source>
        <translation>申请 {reference}：客户已同意。请填写客户资料。</translation>
    </message>
    <message>
        <location filename="../../ui/pages/new_application.py" line="201"/>
        <source>The customer declined: the application ended and nothing was kept.</source>
        <translation>客户不同意：申请已结束，未保留任何客户信息。</translation>
    </message>
    <message>
        <location filename="../../ui/pages/new_application.py" line="208"/>
        <source>Application {reference}: waiting to send.</source>
        <translation>申请 {reference}：等待发送。</translation>
    </message>
    <message>
        <location filename="../../ui/pages/new_application.py" line="210"/>
        <source>Application {reference} is with the lender: the decision shows on the Sync page.</source>
        <translation>申请 {reference} 已在放款方审批中：结论会显示在“同步”页。</translation>
    </message>
    <message>
        <location filename="../../ui/pages/new_application.py" line="214"/>
        <source>Application {reference} is approved: hand the goods over on the Delivery page.</source>
        <translation>申请 {reference} 已获批：请在“交付”页交付商品。</translation>
    </message>
    <message>
        <location filename="../../ui/pages/new_application.py" line="217"/>
        <source>Application {reference} is finished ({state}).</source>
        <translation>申请 {reference} 已结束（{state}）。</translation>
    </message>
    <message>
        <location filename="../../ui/pages/new_application.py" line="235"/>
        <source>An application is open</source>
        <translation>有未完成的申请</translation>
    </message>
    <message>
        <location filename="../../ui/pages/new_application.py" line="238"/>
        <source>Application {reference} is not finished. Go on with it, or put it aside in Drafts (nothing is lost) and start a new one?</source>
        <translation>申请 {reference} 尚未完成。继续办理，还是先存入草稿（不会丢失）再开始新的申请？</translation>
    </message>
    <message>
        <location filename="../../ui/pages/new_application.py" line="242"/>
        <source>Go on with it</source>
        <translation>继续办理</translation>
    </message>
    <message>
        <location filename="../../ui/pages/new_application.py" line="243"/>
        <source>Put it aside and start a new one</source>
        <translation>存入草稿，开始新申请</translation>
    </message>
    <message>
        <location filename="../../ui/pages/new_application.py" line="301"/>
        <location filename="../../ui/pages/new_application.py" line="347"/>
        <source>Start an application first.</source>
        <translation>请先开始申请。</translation>
    </message>
    <message>
        <location filename="../../ui/pages/new_application.py" line="304"/>
        <source>The customer is signing the plan already sent; wait for them to finish.</source>
        <translation>客户正在签署已发送的方案，请等待客户完成。</translation>
    </message>
    <message>
        <location filename="../../ui/pages/new_application.py" line="307"/>
        <source>Record the purchase first.</source>
        <translation>请先记录购买信息。</translation>
    </message>
    <message>
        <location filename="../../ui/pages/new_application.py" line="310"/>
        <source>Choose a plan on the plan page first.</source>
        <translation>请先在分期方案页选定方案。</translation>
    </message>
    <message>
        <location filename="../../ui/pages/new_application.py" line="313"/>
        <source>Describe the goods first.</source>
        <translation>请先填写商品信息。</translation>
    </message>
    <message>
        <location filename="../../ui/pages/new_application.py" line="428"/>
        <source>Contract signed; its confirmation by SMS is pending, so the lender will call the customer. Send it to the lender (Enter).</source>
        <translation>合同已签署；短信确认待完成，贷款方将致电客户。请发送给贷款方（Enter）。</translation>
    </message>
    <message>
        <location filename="../../ui/pages/new_application.py" line="448"/>
        <source>Something went wrong; it has been logged.</source>
        <translation>发生错误，已记录日志。</translation>
    </message>
    <message>
        <location filename="../../ui/pages/new_application.py" line="485"/>
        <source>Application {reference} is waiting to send: it goes to the lender with the next sync, at once when the network is up. Nothing more to do now.</source>
        <translation>申请 {reference} 正在等待发送：将随下次同步发给贷款方，网络恢复后立即发出。现在无需其他操作。</translation>
    </message>
    <message>
        <location filename="../../ui/pages/new_application.py" line="433"/>
        <source>Contract signed. Send it to the lender (Enter).</source>
        <translation>合同已签署。请发送给放款方（回车）。</translation>
    </message>
    <message>
        <location filename="../../ui/pages/new_application.py" line="508"/>
        <source>Saved {path}.</source>
        <translation>已保存 {path}。</translation>
    </message>
    <message>
        <location filename="../../ui/pages/new_application.py" line="513"/>
        <source>Save contract</source>
        <translation>保存合同</translation>
    </message>
</context>
<context>
    <name>PlanPage</name>
    <message>
        <location filename="../../ui/pages/plan.py" line="122"/>
        <source>Installment plans</source>
        <translation>分期方案</translation>
    </message>
    <message>
        <location filename="../../ui/pages/plan.py" line="123"/>
        <source>e.g. 4999</source>
        <translation>例如 4999</translation>
    </message>
    <message>
        <location filename="../../ui/pages/plan.py" line="124"/>
        <source>minimum if empty</source>
        <translation>留空则按最低首付</translation>
    </message>
    <message>
        <location filename="../../ui/pages/plan.py" line="127"/>
        <source>Term</source>
        <translation>期数</translation>
    </message>
    <message>
        <location filename="../../ui/pages/plan.py" line="128"/>
        <source>Monthly payment</source>
        <translation>月供</translation>
    </message>
    <message>
        <location filename="../../ui/pages/plan.py" line="129"/>
        <source>Total repayable</source>
        <translation>应还总额</translation>
    </message>
    <message>
        <location filename="../../ui/pages/plan.py" line="130"/>
        <source>Total cost</source>
        <translation>总成本</translation>
    </message>
    <message>
        <location filename="../../ui/pages/plan.py" line="131"/>
        <source>Annualised rate (APR)</source>
        <translation>年化利率 (APR)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/plan.py" line="136"/>
        <source>No.</source>
        <translation>期次</translation>
    </message>
    <message>
        <location filename="../../ui/pages/plan.py" line="137"/>
        <source>Due date</source>
        <translation>还款日</translation>
    </message>
    <message>
        <location filename="../../ui/pages/plan.py" line="138"/>
        <source>Principal</source>
        <translation>本金</translation>
    </message>
    <message>
        <location filename="../../ui/pages/plan.py" line="139"/>
        <source>Interest</source>
        <translation>利息</translation>
    </message>
    <message>
        <location filename="../../ui/pages/plan.py" line="140"/>
        <source>Fee</source>
        <translation>手续费</translation>
    </message>
    <message>
        <location filename="../../ui/pages/plan.py" line="141"/>
        <source>Installment</source>
        <translation>当期应还</translation>
    </message>
    <message>
        <location filename="../../ui/pages/plan.py" line="142"/>
        <source>Balance</source>
        <translation>剩余本金</translation>
    </message>
    <message>
        <location filename="../../ui/pages/plan.py" line="145"/>
        <source>&amp;Export CSV…</source>
        <translation>导出 CSV…(&amp;E)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/plan.py" line="146"/>
        <source>&amp;Goods (model, serial)</source>
        <translation>商品（型号、序列号）(&amp;G)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/plan.py" line="147"/>
        <source>&amp;Send the plan for signing (Enter)</source>
        <translation>发送方案给客户签署(&amp;S)（回车）</translation>
    </message>
    <message>
        <location filename="../../ui/pages/plan.py" line="216"/>
        <source>Record the purchase of an open application first.</source>
        <translation>请先为进行中的申请记录购买信息。</translation>
    </message>
    <message>
        <location filename="../../ui/pages/plan.py" line="219"/>
        <source>Choose one of the terms offered first.</source>
        <translation>请先选择一个可选的期数。</translation>
    </message>
    <message>
        <location filename="../../ui/pages/plan.py" line="246"/>
        <source>{n} months</source>
        <translation>{n} 期</translation>
    </message>
    <message>
        <location filename="../../ui/pages/plan.py" line="246"/>
        <source>0% offer</source>
        <translation>0 息优惠</translation>
    </message>
    <message>
        <location filename="../../ui/pages/plan.py" line="288"/>
        <source>APR {rate}%</source>
        <translation>年化利率 {rate}%</translation>
    </message>
    <message>
        <location filename="../../ui/pages/plan.py" line="291"/>
        <source>{method} · {n} months · first installment {first} · total repayable {total} · effective annual rate {ear}%</source>
        <translation>{method} · {n} 期 · 首期应还 {first} · 应还总额 {total} · 实际年利率（复利）{ear}%</translation>
    </message>
    <message>
        <location filename="../../ui/pages/plan.py" line="321"/>
        <source>Export schedule</source>
        <translation>导出还款计划</translation>
    </message>
    <message>
        <location filename="../../ui/pages/plan.py" line="342"/>
        <source>Schedule saved to {path}</source>
        <translation>还款计划已保存到 {path}</translation>
    </message>
</context>
<context>
    <name>PrescreenPage</name>
    <message>
        <location filename="../../ui/pages/prescreen.py" line="91"/>
        <source>Pre-screen</source>
        <translation>预审</translation>
    </message>
    <message>
        <location filename="../../ui/pages/prescreen.py" line="92"/>
        <source>Pre-&amp;screen (F5)</source>
        <translation>预审(&amp;S) F5</translation>
    </message>
    <message>
        <location filename="../../ui/pages/prescreen.py" line="96"/>
        <source>Preliminary offline result from this counter&apos;s rules and scorecard. The lender decides when the application arrives.</source>
        <translation>本机准入规则和评分卡得出的离线初步结果，以申请到达放款机构后的审批为准。</translation>
    </message>
    <message>
        <location filename="../../ui/pages/prescreen.py" line="100"/>
        <source>Reasons</source>
        <translation>原因</translation>
    </message>
    <message>
        <location filename="../../ui/pages/prescreen.py" line="101"/>
        <source>Flags for a reviewer</source>
        <translation>需审核人员关注的风险提示</translation>
    </message>
    <message>
        <location filename="../../ui/pages/prescreen.py" line="123"/>
        <source>The product catalog is not loaded, so nothing can be pre-screened.</source>
        <translation>产品目录未加载，无法预审。</translation>
    </message>
    <message>
        <location filename="../../ui/pages/prescreen.py" line="129"/>
        <source>Complete the customer details first: the customer page marks what is missing.</source>
        <translation>请先完善客户资料：客户资料页已标出缺少的内容。</translation>
    </message>
    <message>
        <location filename="../../ui/pages/prescreen.py" line="159"/>
        <source>The pre-screen failed unexpectedly; it has been logged.</source>
        <translation>预审时发生意外错误，已记录日志。</translation>
    </message>
    <message>
        <location filename="../../ui/pages/prescreen.py" line="167"/>
        <source>Approve (preliminary)</source>
        <translation>通过（初步）</translation>
    </message>
    <message>
        <location filename="../../ui/pages/prescreen.py" line="168"/>
        <source>Refer to a reviewer (preliminary)</source>
        <translation>转人工审核（初步）</translation>
    </message>
    <message>
        <location filename="../../ui/pages/prescreen.py" line="169"/>
        <source>Decline (preliminary)</source>
        <translation>拒绝（初步）</translation>
    </message>
    <message>
        <location filename="../../ui/pages/prescreen.py" line="177"/>
        <source>Score {score} · probability of default {pd} · model {version}</source>
        <translation>评分 {score} · 违约概率 {pd} · 模型 {version}</translation>
    </message>
    <message>
        <location filename="../../ui/pages/prescreen.py" line="188"/>
        <location filename="../../ui/pages/prescreen.py" line="190"/>
        <source>None</source>
        <translation>无</translation>
    </message>
</context>
<context>
    <name>PurchaseFields</name>
    <message>
        <location filename="../../ui/widgets/purchase_fields.py" line="25"/>
        <source>&amp;What is bought</source>
        <translation>购买类别(&amp;W)</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/purchase_fields.py" line="26"/>
        <source>S&amp;KU</source>
        <translation>商品编码(&amp;K)</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/purchase_fields.py" line="27"/>
        <source>Serial / &amp;IMEI</source>
        <translation>序列号 / IMEI(&amp;I)</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/purchase_fields.py" line="28"/>
        <source>D&amp;escription</source>
        <translation>描述(&amp;E)</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/purchase_fields.py" line="29"/>
        <source>P&amp;rice (CNY)</source>
        <translation>价格（元）(&amp;R)</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/purchase_fields.py" line="30"/>
        <source>&amp;Down payment (CNY)</source>
        <translation>首付（元）(&amp;D)</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/purchase_fields.py" line="31"/>
        <source>&amp;Product</source>
        <translation>产品(&amp;P)</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/purchase_fields.py" line="32"/>
        <source>&amp;Term</source>
        <translation>期数(&amp;T)</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/purchase_fields.py" line="34"/>
        <source>amount</source>
        <translation>金额</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/purchase_fields.py" line="37"/>
        <source>As recorded on the Purchase page; change it there.</source>
        <translation>按“购买”页记录的内容显示；如需修改请到该页。</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/purchase_fields.py" line="38"/>
        <source>{n} months</source>
        <translation>{n} 期</translation>
    </message>
</context>
<context>
    <name>PurchasePage</name>
    <message>
        <location filename="../../ui/pages/purchase.py" line="78"/>
        <source>Purchase</source>
        <translation>购买商品</translation>
    </message>
    <message>
        <location filename="../../ui/pages/purchase.py" line="79"/>
        <source>Record and &amp;continue (Enter)</source>
        <translation>记录并继续(&amp;C)（回车）</translation>
    </message>
    <message>
        <location filename="../../ui/pages/purchase.py" line="84"/>
        <source>Application {reference}: what the customer is buying.</source>
        <translation>申请 {reference}：客户购买的商品。</translation>
    </message>
    <message>
        <location filename="../../ui/pages/purchase.py" line="88"/>
        <source>No application is open. Start one on the New application page.</source>
        <translation>没有打开的申请。请在“新建申请”页面开始。</translation>
    </message>
    <message>
        <location filename="../../ui/pages/purchase.py" line="107"/>
        <source>The contract is signed: the purchase can no longer change. Cancel and start again.</source>
        <translation>合同已签署：购买信息不能再修改。如需修改，请取消后重新申请。</translation>
    </message>
    <message>
        <location filename="../../ui/pages/purchase.py" line="174"/>
        <source>Start an application first.</source>
        <translation>请先开始一笔申请。</translation>
    </message>
    <message>
        <location filename="../../ui/pages/purchase.py" line="180"/>
        <source>Correct the marked fields.</source>
        <translation>请更正标出的字段。</translation>
    </message>
    <message>
        <location filename="../../ui/pages/purchase.py" line="195"/>
        <source>Recorded. The price or plan changed, so pre-screen again and choose a new plan.</source>
        <translation>已记录。价格或方案有变，请重新预审并选择新方案。</translation>
    </message>
    <message>
        <location filename="../../ui/pages/purchase.py" line="197"/>
        <source>Recorded.</source>
        <translation>已记录。</translation>
    </message>
    <message>
        <location filename="../../ui/pages/purchase.py" line="207"/>
        <source>Recording failed unexpectedly; it has been logged. Nothing was saved.</source>
        <translation>记录时发生意外错误，已记录日志。未保存任何内容。</translation>
    </message>
</context>
<context>
    <name>RegionRows</name>
    <message>
        <location filename="../../ui/reports/region_rows.py" line="61"/>
        <source>{n} with sync waiting</source>
        <translation>{n} 家有待同步数据</translation>
    </message>
    <message>
        <location filename="../../ui/reports/region_rows.py" line="63"/>
        <source>{n} with score drift</source>
        <translation>{n} 家评分有漂移</translation>
    </message>
    <message>
        <location filename="../../ui/reports/region_rows.py" line="65"/>
        <location filename="../../ui/reports/region_rows.py" line="102"/>
        <location filename="../../ui/reports/region_rows.py" line="209"/>
        <source>Applications</source>
        <translation>申请数</translation>
    </message>
    <message>
        <location filename="../../ui/reports/region_rows.py" line="67"/>
        <location filename="../../ui/reports/region_rows.py" line="103"/>
        <source>Approval rate</source>
        <translation>通过率</translation>
    </message>
    <message>
        <location filename="../../ui/reports/region_rows.py" line="69"/>
        <source>of {n} decided</source>
        <translation>已决 {n} 笔</translation>
    </message>
    <message>
        <location filename="../../ui/reports/region_rows.py" line="73"/>
        <location filename="../../ui/reports/region_rows.py" line="104"/>
        <source>Average ticket</source>
        <translation>平均客单价</translation>
    </message>
    <message>
        <location filename="../../ui/reports/region_rows.py" line="79"/>
        <location filename="../../ui/reports/region_rows.py" line="105"/>
        <source>Average financed</source>
        <translation>平均融资额</translation>
    </message>
    <message>
        <location filename="../../ui/reports/region_rows.py" line="85"/>
        <source>Financed in total</source>
        <translation>融资总额</translation>
    </message>
    <message>
        <location filename="../../ui/reports/region_rows.py" line="91"/>
        <source>Stores</source>
        <translation>门店数</translation>
    </message>
    <message>
        <location filename="../../ui/reports/region_rows.py" line="101"/>
        <location filename="../../ui/reports/region_rows.py" line="251"/>
        <location filename="../../ui/reports/region_rows.py" line="259"/>
        <source>Store</source>
        <translation>门店</translation>
    </message>
    <message>
        <location filename="../../ui/reports/region_rows.py" line="106"/>
        <source>Fraud flags</source>
        <translation>反欺诈标记</translation>
    </message>
    <message>
        <location filename="../../ui/reports/region_rows.py" line="107"/>
        <source>PSI</source>
        <translation>PSI</translation>
    </message>
    <message>
        <location filename="../../ui/reports/region_rows.py" line="108"/>
        <source>Sync (worst PC)</source>
        <translation>同步（最差电脑）</translation>
    </message>
    <message>
        <location filename="../../ui/reports/region_rows.py" line="120"/>
        <source>no PC</source>
        <translation>无电脑</translation>
    </message>
    <message>
        <location filename="../../ui/reports/region_rows.py" line="122"/>
        <source>all sent</source>
        <translation>已全部发送</translation>
    </message>
    <message>
        <location filename="../../ui/reports/region_rows.py" line="126"/>
        <source>{n} waiting, {age}</source>
        <translation>{n} 笔待发送，{age}</translation>
    </message>
    <message>
        <location filename="../../ui/reports/region_rows.py" line="129"/>
        <source>{n} refused</source>
        <translation>{n} 笔被拒收</translation>
    </message>
    <message>
        <location filename="../../ui/reports/region_rows.py" line="136"/>
        <location filename="../../ui/reports/region_rows.py" line="219"/>
        <source>Region {region}</source>
        <translation>区域 {region}</translation>
    </message>
    <message>
        <location filename="../../ui/reports/region_rows.py" line="159"/>
        <source>Top decline reasons: {reasons}</source>
        <translation>主要拒绝原因：{reasons}</translation>
    </message>
    <message>
        <location filename="../../ui/reports/region_rows.py" line="172"/>
        <source>PC {device}: {pending} waiting{age}, {dead} refused, reported {time}</source>
        <translation>电脑 {device}：{pending} 笔待发送{age}，{dead} 笔被拒收，上报于 {time}</translation>
    </message>
    <message>
        <location filename="../../ui/reports/region_rows.py" line="182"/>
        <source>revoked</source>
        <translation>已吊销</translation>
    </message>
    <message>
        <location filename="../../ui/reports/region_rows.py" line="184"/>
        <source>No counter PC has reported yet.</source>
        <translation>尚无柜台电脑上报。</translation>
    </message>
    <message>
        <location filename="../../ui/reports/region_rows.py" line="207"/>
        <source>Stores compared</source>
        <translation>门店对比</translation>
    </message>
    <message>
        <location filename="../../ui/reports/region_rows.py" line="210"/>
        <source>Approval rate (%)</source>
        <translation>通过率（%）</translation>
    </message>
    <message>
        <location filename="../../ui/reports/region_rows.py" line="220"/>
        <source>Period {start} – {end} (store-local days)</source>
        <translation>期间 {start} – {end}（门店当地日期）</translation>
    </message>
    <message>
        <location filename="../../ui/reports/region_rows.py" line="223"/>
        <source>As of {time}</source>
        <translation>数据截至 {time}</translation>
    </message>
    <message>
        <location filename="../../ui/reports/region_rows.py" line="226"/>
        <source>Read by {user}</source>
        <translation>查询人 {user}</translation>
    </message>
    <message>
        <location filename="../../ui/reports/region_rows.py" line="231"/>
        <source>Regional report</source>
        <translation>区域报表</translation>
    </message>
    <message>
        <location filename="../../ui/reports/region_rows.py" line="233"/>
        <source>Saved copy: the central server could not be reached.</source>
        <translation>保存的副本：无法连接中央服务器。</translation>
    </message>
    <message>
        <location filename="../../ui/reports/region_rows.py" line="239"/>
        <source>The region&apos;s figures</source>
        <translation>区域汇总</translation>
    </message>
    <message>
        <location filename="../../ui/reports/region_rows.py" line="243"/>
        <source>Stores side by side</source>
        <translation>门店并列比较</translation>
    </message>
    <message>
        <location filename="../../ui/reports/region_rows.py" line="249"/>
        <source>Top decline reasons</source>
        <translation>主要拒绝原因</translation>
    </message>
    <message>
        <location filename="../../ui/reports/region_rows.py" line="252"/>
        <source>Decline reasons (applications)</source>
        <translation>拒绝原因（申请数）</translation>
    </message>
    <message>
        <location filename="../../ui/reports/region_rows.py" line="257"/>
        <source>Counter PCs</source>
        <translation>柜台电脑</translation>
    </message>
    <message>
        <location filename="../../ui/reports/region_rows.py" line="260"/>
        <source>Sync health</source>
        <translation>同步状态</translation>
    </message>
</context>
<context>
    <name>RegionView</name>
    <message>
        <location filename="../../ui/reports/region_view.py" line="140"/>
        <source>Sign out (central)</source>
        <translation>退出中央账户</translation>
    </message>
    <message>
        <location filename="../../ui/reports/region_view.py" line="141"/>
        <source>Sign out of the central server on this PC</source>
        <translation>在本机退出中央服务器登录</translation>
    </message>
    <message>
        <location filename="../../ui/reports/region_view.py" line="142"/>
        <source>&amp;Refresh (F5)</source>
        <translation>刷新(&amp;R) (F5)</translation>
    </message>
    <message>
        <location filename="../../ui/reports/region_view.py" line="143"/>
        <source>Export &amp;CSV…</source>
        <translation>导出 CSV(&amp;C)…</translation>
    </message>
    <message>
        <location filename="../../ui/reports/region_view.py" line="144"/>
        <source>Export P&amp;DF…</source>
        <translation>导出 PDF(&amp;D)…</translation>
    </message>
    <message>
        <location filename="../../ui/reports/region_view.py" line="145"/>
        <source>Stores side by side</source>
        <translation>门店并列比较</translation>
    </message>
    <message>
        <location filename="../../ui/reports/region_view.py" line="191"/>
        <source>{username} (region {region}) at {server}: the sign-in expired at {time}</source>
        <translation>{username}（区域 {region}）@ {server}：登录已于 {time} 过期</translation>
    </message>
    <message>
        <location filename="../../ui/reports/region_view.py" line="193"/>
        <source>{username} (region {region}) at {server}, signed in until {time}</source>
        <translation>{username}（区域 {region}）@ {server}，登录有效至 {time}</translation>
    </message>
    <message>
        <location filename="../../ui/reports/region_view.py" line="254"/>
        <source>Asking the central server…</source>
        <translation>正在查询中央服务器…</translation>
    </message>
    <message>
        <location filename="../../ui/reports/region_view.py" line="285"/>
        <source>That did not work; the error has been logged.</source>
        <translation>操作未成功，错误已记录到日志。</translation>
    </message>
    <message>
        <location filename="../../ui/reports/region_view.py" line="295"/>
        <source>Region {region} · {start} – {end} · as of {time}</source>
        <translation>区域 {region} · {start} – {end} · 数据截至 {time}</translation>
    </message>
    <message>
        <location filename="../../ui/reports/region_view.py" line="304"/>
        <source>The central server cannot be reached: these are the figures saved on this PC as of {time}.</source>
        <translation>无法连接中央服务器：以下是本机保存的数据，截至 {time}。</translation>
    </message>
    <message>
        <location filename="../../ui/reports/region_view.py" line="355"/>
        <source>Export the regional report</source>
        <translation>导出区域报表</translation>
    </message>
</context>
<context>
    <name>Reports</name>
    <message>
        <location filename="../../ui/reports/common.py" line="78"/>
        <source>{minutes} min</source>
        <translation>{minutes} 分钟</translation>
    </message>
    <message>
        <location filename="../../ui/reports/common.py" line="80"/>
        <source>{hours} h {minutes} min</source>
        <translation>{hours} 小时 {minutes} 分钟</translation>
    </message>
    <message>
        <location filename="../../ui/reports/common.py" line="83"/>
        <source>{days} days</source>
        <translation>{days} 天</translation>
    </message>
    <message>
        <location filename="../../ui/reports/common.py" line="166"/>
        <source>&amp;Period</source>
        <translation>期间(&amp;P)</translation>
    </message>
    <message>
        <location filename="../../ui/reports/common.py" line="356"/>
        <source>The file could not be written: {reason}</source>
        <translation>文件无法写入：{reason}</translation>
    </message>
    <message>
        <location filename="../../ui/reports/common.py" line="363"/>
        <source>The report could not be made; the error has been logged.</source>
        <translation>报表无法生成，错误已记录到日志。</translation>
    </message>
    <message>
        <location filename="../../ui/reports/common.py" line="379"/>
        <source>Saved {path}.</source>
        <translation>已保存 {path}。</translation>
    </message>
</context>
<context>
    <name>ReportsPage</name>
    <message>
        <location filename="../../ui/pages/reports.py" line="52"/>
        <source>Reports</source>
        <translation>报表</translation>
    </message>
    <message>
        <location filename="../../ui/pages/reports.py" line="53"/>
        <source>&amp;Store</source>
        <translation>门店(&amp;S)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/reports.py" line="54"/>
        <source>Re&amp;gion</source>
        <translation>区域(&amp;G)</translation>
    </message>
</context>
<context>
    <name>ResetPinDialog</name>
    <message>
        <location filename="../../ui/dialogs/staff.py" line="128"/>
        <source>New PIN for {login}</source>
        <translation>为 {login} 设置新 PIN</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/staff.py" line="132"/>
        <source>The two PIN entries differ.</source>
        <translation>两次输入的 PIN 不一致。</translation>
    </message>
</context>
<context>
    <name>ReturningCustomerBanner</name>
    <message>
        <location filename="../../ui/widgets/returning_customer.py" line="134"/>
        <source>Filled in from {name}&apos;s earlier application. Check the highlighted fields (phone, address, income) with the customer before saving.</source>
        <translation>已按 {name} 以前的申请填写。保存前请与客户核对标出的字段（手机号、地址、收入）。</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/returning_customer.py" line="138"/>
        <source>Returning customer: {name}, earlier applications: {count} (last: {state}).</source>
        <translation>老客户：{name}，以前的申请：{count} 笔（最近一笔：{state}）。</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/returning_customer.py" line="142"/>
        <source>Returning customer: {name}, earlier applications: {count}.</source>
        <translation>老客户：{name}，以前的申请：{count} 笔。</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/returning_customer.py" line="146"/>
        <source>Fill in (F2)</source>
        <translation>填入（F2）</translation>
    </message>
</context>
<context>
    <name>RevealButton</name>
    <message>
        <location filename="../../ui/widgets/reveal.py" line="37"/>
        <source>Revealed</source>
        <translation>已显示</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/reveal.py" line="37"/>
        <source>Reveal</source>
        <translation>显示完整号码</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/reveal.py" line="39"/>
        <source>The full number is shown; revealing it was recorded in the audit log.</source>
        <translation>已显示完整号码；此操作已记入审计日志。</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/reveal.py" line="41"/>
        <source>Show the full ID number. This is recorded in the audit log.</source>
        <translation>显示完整身份证号码。此操作会记入审计日志。</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/reveal.py" line="43"/>
        <source>Only a store manager may reveal a full ID number.</source>
        <translation>只有店长可以查看完整身份证号码。</translation>
    </message>
</context>
<context>
    <name>ScanFields</name>
    <message>
        <location filename="../../ui/widgets/scan_panel.py" line="35"/>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/scan_panel.py" line="36"/>
        <source>Sex</source>
        <translation>性别</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/scan_panel.py" line="37"/>
        <source>Ethnicity</source>
        <translation>民族</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/scan_panel.py" line="38"/>
        <source>Birth date</source>
        <translation>出生日期</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/scan_panel.py" line="39"/>
        <source>Address</source>
        <translation>住址</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/scan_panel.py" line="40"/>
        <location filename="../../ui/widgets/scan_panel.py" line="57"/>
        <source>ID number</source>
        <translation>身份证号码</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/scan_panel.py" line="41"/>
        <source>Issuing authority</source>
        <translation>签发机关</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/scan_panel.py" line="42"/>
        <source>Valid from</source>
        <translation>有效期起</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/scan_panel.py" line="43"/>
        <source>Valid until</source>
        <translation>有效期至</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/scan_panel.py" line="44"/>
        <source>Document number</source>
        <translation>证件号码</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/scan_panel.py" line="45"/>
        <source>Surname</source>
        <translation>姓</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/scan_panel.py" line="46"/>
        <source>Given names</source>
        <translation>名</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/scan_panel.py" line="47"/>
        <source>Nationality</source>
        <translation>国籍</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/scan_panel.py" line="48"/>
        <source>Expiry date</source>
        <translation>有效期至</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/scan_panel.py" line="49"/>
        <source>Content</source>
        <translation>内容</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/scan_panel.py" line="52"/>
        <source>ID card, front</source>
        <translation>身份证正面</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/scan_panel.py" line="53"/>
        <source>ID card, back</source>
        <translation>身份证背面</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/scan_panel.py" line="54"/>
        <source>ID card chip</source>
        <translation>身份证芯片</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/scan_panel.py" line="55"/>
        <source>Passport</source>
        <translation>护照</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/scan_panel.py" line="56"/>
        <source>Barcode</source>
        <translation>条码</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/scan_panel.py" line="58"/>
        <source>IMEI</source>
        <translation>IMEI 串号</translation>
    </message>
</context>
<context>
    <name>ScanPanel</name>
    <message>
        <location filename="../../ui/widgets/scan_panel.py" line="136"/>
        <source>Close &amp;camera</source>
        <translation>关闭摄像头(&amp;C)</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/scan_panel.py" line="136"/>
        <source>&amp;Camera</source>
        <translation>摄像头(&amp;C)</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/scan_panel.py" line="135"/>
        <source>Open &amp;photos…</source>
        <translation>打开照片(&amp;P)…</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/scan_panel.py" line="137"/>
        <source>Cap&amp;ture</source>
        <translation>拍照识别(&amp;T)</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/scan_panel.py" line="138"/>
        <source>Read card (&amp;R)</source>
        <translation>读卡(&amp;R)</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/scan_panel.py" line="141"/>
        <source>Open a photo of either side of the ID card, a passport&apos;s data page or a barcode, or use the scanner. Highlighted fields need checking against the document.</source>
        <translation>打开身份证正面或背面、护照资料页或条码的照片，或使用扫描枪。高亮的字段需要对照证件核对。</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/scan_panel.py" line="146"/>
        <source>Field</source>
        <translation>字段</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/scan_panel.py" line="146"/>
        <source>Value</source>
        <translation>内容</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/scan_panel.py" line="146"/>
        <source>Certainty</source>
        <translation>可信度</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/scan_panel.py" line="146"/>
        <source>Check</source>
        <translation>校验</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/scan_panel.py" line="159"/>
        <source>No camera was found on this PC: open a photo instead.</source>
        <translation>本机没有找到摄像头：请改为打开照片。</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/scan_panel.py" line="164"/>
        <source>The camera cannot be opened: {reason}</source>
        <translation>无法打开摄像头：{reason}</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/scan_panel.py" line="196"/>
        <location filename="../../ui/widgets/scan_panel.py" line="275"/>
        <source>Reading…</source>
        <translation>正在识别…</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/scan_panel.py" line="228"/>
        <source>Place the card on the reader…</source>
        <translation>请将身份证放在读卡器上…</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/scan_panel.py" line="235"/>
        <source>No card was found on the reader.</source>
        <translation>读卡器上没有身份证。</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/scan_panel.py" line="257"/>
        <source>Images (*.png *.jpg *.jpeg *.bmp)</source>
        <translation>图片 (*.png *.jpg *.jpeg *.bmp)</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/scan_panel.py" line="257"/>
        <source>Open photos</source>
        <translation>打开照片</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/scan_panel.py" line="310"/>
        <source>Male</source>
        <translation>男</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/scan_panel.py" line="310"/>
        <source>Female</source>
        <translation>女</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/scan_panel.py" line="319"/>
        <source>passed</source>
        <translation>通过</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/scan_panel.py" line="319"/>
        <source>failed</source>
        <translation>未通过</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/scan_panel.py" line="323"/>
        <source>Check this against the document</source>
        <translation>请对照证件核对</translation>
    </message>
</context>
<context>
    <name>SettingsPage</name>
    <message>
        <location filename="../../ui/pages/settings.py" line="128"/>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="132"/>
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="134"/>
        <source>Store &amp;time zone</source>
        <translation>门店时区(&amp;T)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="133"/>
        <source>Lock after &amp;idle (minutes)</source>
        <translation>空闲自动锁定（分钟）(&amp;I)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="135"/>
        <source>Central se&amp;rver</source>
        <translation>中央服务器(&amp;R)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="136"/>
        <source>&amp;Proxy</source>
        <translation>代理服务器(&amp;P)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="137"/>
        <source>&amp;CA bundle</source>
        <translation>CA 证书(&amp;C)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="138"/>
        <source>C&amp;ustomer screen</source>
        <translation>客户屏(&amp;U)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="139"/>
        <source>Key store</source>
        <translation>密钥存储</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="144"/>
        <source>Follow the system</source>
        <translation>跟随系统</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="147"/>
        <source>System certificates</source>
        <translation>系统证书</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="148"/>
        <source>&amp;Save</source>
        <translation>保存(&amp;S)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="149"/>
        <source>&amp;Export diagnostics…</source>
        <translation>导出诊断信息…(&amp;E)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="171"/>
        <source>Automatic: a second display if there is one</source>
        <translation>自动：有第二个显示器时用它</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="178"/>
        <source>{name} (not connected)</source>
        <translation>{name}（未连接）</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="183"/>
        <source>(development mode: do not use in a store)</source>
        <translation>（开发模式：门店正式使用时请勿启用）</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="192"/>
        <source>Only a store manager or an administrator can change the store&apos;s settings. You can change the language.</source>
        <translation>只有店长或管理员可以修改门店设置。您可以切换语言。</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="205"/>
        <source>The lender&apos;s policy</source>
        <translation>放款机构的授信政策</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="207"/>
        <source>Version</source>
        <translation>版本</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="208"/>
        <source>In effect from</source>
        <translation>生效日期</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="209"/>
        <source>Applicant&apos;s age</source>
        <translation>申请人年龄</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="210"/>
        <source>Repayments at most</source>
        <translation>月还款上限</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="211"/>
        <source>Unsecured credit cap</source>
        <translation>无担保授信上限</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="212"/>
        <source>Velocity flag</source>
        <translation>频繁申请提示</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="213"/>
        <source>Cool-off after a decline</source>
        <translation>被拒后冷静期</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="214"/>
        <source>Return window</source>
        <translation>退货期限</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="215"/>
        <source>Second reviewer from</source>
        <translation>双人审核起点</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="216"/>
        <source>Reviews decided within</source>
        <translation>人工审核时限</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="217"/>
        <source>First-payment default alert</source>
        <translation>首期逾期预警</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="218"/>
        <source>Alert counts from</source>
        <translation>预警起算</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="230"/>
        <source>Set and signed by the lender, the same for its decision: no setting of this PC can change it.</source>
        <translation>由放款机构制定并签名，其审批也按此执行：本机的任何设置都不能更改。</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="235"/>
        <source>{min} to {max} years</source>
        <translation>{min} 至 {max} 周岁</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="236"/>
        <source>{percent} percent of the income</source>
        <translation>收入的 {percent}%</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="237"/>
        <source>{amount} per borrower</source>
        <translation>每位借款人 {amount}</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="238"/>
        <source>{count} applications in {days} days</source>
        <translation>{days} 天内 {count} 笔申请</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="241"/>
        <location filename="../../ui/pages/settings.py" line="242"/>
        <source>{days} days</source>
        <translation>{days} 天</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="243"/>
        <source>{amount} financed</source>
        <translation>融资额 {amount}</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="244"/>
        <source>{minutes} minutes</source>
        <translation>{minutes} 分钟</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="245"/>
        <source>{multiple} × the average</source>
        <translation>平均水平的 {multiple} 倍</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="246"/>
        <source>{count} matured loans</source>
        <translation>满 {count} 笔到期贷款</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="269"/>
        <source>Nothing to save.</source>
        <translation>没有需要保存的更改。</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="277"/>
        <source>Saved.</source>
        <translation>已保存。</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="287"/>
        <source>Export diagnostics</source>
        <translation>导出诊断信息</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="296"/>
        <source>Diagnostics saved to {path}</source>
        <translation>诊断信息已保存到 {path}</translation>
    </message>
</context>
<context>
    <name>Shell</name>
    <message>
        <location filename="../../ui/shell.py" line="43"/>
        <source>New application</source>
        <translation>新建申请</translation>
    </message>
    <message>
        <location filename="../../ui/shell.py" line="47"/>
        <source>Installment plans</source>
        <translation>分期方案</translation>
    </message>
    <message>
        <location filename="../../ui/shell.py" line="44"/>
        <source>Customer details</source>
        <translation>客户资料</translation>
    </message>
    <message>
        <location filename="../../ui/shell.py" line="45"/>
        <source>Purchase</source>
        <translation>购买商品</translation>
    </message>
    <message>
        <location filename="../../ui/shell.py" line="46"/>
        <source>Pre-screen</source>
        <translation>预审</translation>
    </message>
    <message>
        <location filename="../../ui/shell.py" line="48"/>
        <source>Verify</source>
        <translation>核验</translation>
    </message>
    <message>
        <location filename="../../ui/shell.py" line="51"/>
        <source>Drafts</source>
        <translation>草稿</translation>
    </message>
    <message>
        <location filename="../../ui/shell.py" line="171"/>
        <source>Lock (Ctrl+L)</source>
        <translation>锁定 (Ctrl+L)</translation>
    </message>
    <message>
        <location filename="../../ui/shell.py" line="49"/>
        <source>Sync</source>
        <translation>同步</translation>
    </message>
    <message>
        <location filename="../../ui/shell.py" line="50"/>
        <source>Delivery</source>
        <translation>交付</translation>
    </message>
    <message>
        <location filename="../../ui/shell.py" line="54"/>
        <source>End of day</source>
        <translation>日终汇总</translation>
    </message>
    <message>
        <location filename="../../ui/shell.py" line="53"/>
        <source>Reports</source>
        <translation>报表</translation>
    </message>
    <message>
        <location filename="../../ui/shell.py" line="55"/>
        <source>Staff</source>
        <translation>员工管理</translation>
    </message>
    <message>
        <location filename="../../ui/shell.py" line="56"/>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <location filename="../../ui/shell.py" line="172"/>
        <source>Sign &amp;out</source>
        <translation>退出登录(&amp;O)</translation>
    </message>
</context>
<context>
    <name>SignInPage</name>
    <message>
        <location filename="../../ui/pages/sign_in.py" line="73"/>
        <source>Fenqi POS</source>
        <translation>分期 POS</translation>
    </message>
    <message>
        <location filename="../../ui/pages/sign_in.py" line="74"/>
        <source>Store {code} · {name}</source>
        <translation>门店 {code} · {name}</translation>
    </message>
    <message>
        <location filename="../../ui/pages/sign_in.py" line="75"/>
        <source>&amp;Staff number</source>
        <translation>员工编号(&amp;S)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/sign_in.py" line="76"/>
        <source>&amp;PIN or password</source>
        <translation>PIN 或密码(&amp;P)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/sign_in.py" line="77"/>
        <source>Sign in</source>
        <translation>登录</translation>
    </message>
    <message>
        <location filename="../../ui/pages/sign_in.py" line="79"/>
        <source>Opening the local store…</source>
        <translation>正在打开本地存储…</translation>
    </message>
    <message>
        <location filename="../../ui/pages/sign_in.py" line="83"/>
        <source>This PC is now the counter of store {code} · {name}. Sign in with your staff number and PIN from the store&apos;s staff list; the demo accounts are gone.</source>
        <translation>本机现已成为门店 {code} · {name} 的柜台电脑。请使用门店员工名单中的工号和 PIN 登录；演示账户已删除。</translation>
    </message>
    <message>
        <location filename="../../ui/pages/sign_in.py" line="90"/>
        <source>The counter is locked ({name}). Sign in to continue; another staff member may sign in.</source>
        <translation>柜台已锁定（{name}）。请登录以继续；也可由其他员工登录。</translation>
    </message>
    <message>
        <location filename="../../ui/pages/sign_in.py" line="94"/>
        <source>Sign in with your staff number and PIN.</source>
        <translation>请输入员工编号和 PIN 登录。</translation>
    </message>
    <message>
        <location filename="../../ui/pages/sign_in.py" line="112"/>
        <source>The local store could not be opened.</source>
        <translation>无法打开本地存储。</translation>
    </message>
</context>
<context>
    <name>SigningCode</name>
    <message>
        <location filename="../../ui/widgets/signing_code.py" line="58"/>
        <source>Send a &amp;new code</source>
        <translation>发送新验证码(&amp;N)</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/signing_code.py" line="59"/>
        <source>Go on &amp;without the code</source>
        <translation>不用验证码继续(&amp;W)</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/signing_code.py" line="84"/>
        <source>Going on without the code.</source>
        <translation>不用验证码继续。</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/signing_code.py" line="96"/>
        <source>Sending a code to the customer&apos;s phone…</source>
        <translation>正在向客户手机发送验证码…</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/signing_code.py" line="113"/>
        <source>{sent} The customer types it on their screen. If it does not come, send a new code after a minute, or go on without it.</source>
        <translation>{sent}请客户在客户屏上输入。如未收到，一分钟后可发送新验证码，或不用验证码继续。</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/signing_code.py" line="135"/>
        <source>Checking the code with the lender…</source>
        <translation>正在向贷款方核对验证码…</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/signing_code.py" line="149"/>
        <source>{confirmed} They now read the terms and sign.</source>
        <translation>{confirmed}客户现在阅读条款并签名。</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/signing_code.py" line="154"/>
        <source>{wrong} The customer types it again.</source>
        <translation>{wrong}请客户重新输入。</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/signing_code.py" line="182"/>
        <source>{reason} The terms are on the customer&apos;s screen now.</source>
        <translation>{reason}条款现已显示在客户屏上。</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/signing_code.py" line="186"/>
        <source>{reason} The terms are on the customer&apos;s screen now; the lender will call the customer to confirm the signing.</source>
        <translation>{reason}条款现已显示在客户屏上；贷款方将致电客户确认签约。</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/signing_code.py" line="202"/>
        <source>Something went wrong with the code; it has been logged.</source>
        <translation>验证码处理出错，已记录日志。</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/signing_code.py" line="203"/>
        <source>{reason} Send a new code, or go on without it.</source>
        <translation>{reason}请发送新验证码，或不用验证码继续。</translation>
    </message>
</context>
<context>
    <name>StaffDialogs</name>
    <message>
        <location filename="../../ui/dialogs/staff.py" line="77"/>
        <source>PIN or password</source>
        <translation>PIN 或密码</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/staff.py" line="78"/>
        <source>Again</source>
        <translation>再次输入</translation>
    </message>
</context>
<context>
    <name>StaffPage</name>
    <message>
        <location filename="../../ui/pages/staff.py" line="63"/>
        <source>Staff</source>
        <translation>员工管理</translation>
    </message>
    <message>
        <location filename="../../ui/pages/staff.py" line="65"/>
        <source>Staff number</source>
        <translation>员工编号</translation>
    </message>
    <message>
        <location filename="../../ui/pages/staff.py" line="65"/>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <location filename="../../ui/pages/staff.py" line="65"/>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <location filename="../../ui/pages/staff.py" line="65"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../ui/pages/staff.py" line="65"/>
        <source>Mobile</source>
        <translation>手机号码</translation>
    </message>
    <message>
        <location filename="../../ui/pages/staff.py" line="67"/>
        <source>&amp;Add…</source>
        <translation>添加…(&amp;A)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/staff.py" line="68"/>
        <source>&amp;Unlock</source>
        <translation>解除锁定(&amp;U)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/staff.py" line="69"/>
        <source>&amp;New PIN…</source>
        <translation>设置新 PIN…(&amp;N)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/staff.py" line="97"/>
        <source>Disabled</source>
        <translation>已停用</translation>
    </message>
    <message>
        <location filename="../../ui/pages/staff.py" line="100"/>
        <source>Locked until {time}</source>
        <translation>锁定至 {time}</translation>
    </message>
    <message>
        <location filename="../../ui/pages/staff.py" line="104"/>
        <source>Active</source>
        <translation>正常</translation>
    </message>
    <message>
        <location filename="../../ui/pages/staff.py" line="119"/>
        <source>&amp;Enable</source>
        <translation>启用(&amp;E)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/staff.py" line="119"/>
        <source>&amp;Disable</source>
        <translation>停用(&amp;D)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/staff.py" line="146"/>
        <source>The account was added.</source>
        <translation>账户已添加。</translation>
    </message>
    <message>
        <location filename="../../ui/pages/staff.py" line="157"/>
        <source>The account {login} can sign in again.</source>
        <translation>账户 {login} 已重新启用，可以登录。</translation>
    </message>
    <message>
        <location filename="../../ui/pages/staff.py" line="158"/>
        <source>The account {login} is disabled: it cannot sign in.</source>
        <translation>账户 {login} 已停用，无法登录。</translation>
    </message>
    <message>
        <location filename="../../ui/pages/staff.py" line="169"/>
        <source>Unlocked.</source>
        <translation>已解除锁定。</translation>
    </message>
    <message>
        <location filename="../../ui/pages/staff.py" line="183"/>
        <source>The new PIN is set.</source>
        <translation>新 PIN 已设置。</translation>
    </message>
</context>
<context>
    <name>StoreRows</name>
    <message>
        <location filename="../../ui/reports/store_rows.py" line="25"/>
        <location filename="../../ui/reports/store_rows.py" line="130"/>
        <source>Applications</source>
        <translation>申请数</translation>
    </message>
    <message>
        <location filename="../../ui/reports/store_rows.py" line="26"/>
        <location filename="../../ui/reports/store_rows.py" line="139"/>
        <source>Approval rate</source>
        <translation>通过率</translation>
    </message>
    <message>
        <location filename="../../ui/reports/store_rows.py" line="27"/>
        <source>Average ticket</source>
        <translation>平均客单价</translation>
    </message>
    <message>
        <location filename="../../ui/reports/store_rows.py" line="28"/>
        <source>Average financed</source>
        <translation>平均融资额</translation>
    </message>
    <message>
        <location filename="../../ui/reports/store_rows.py" line="29"/>
        <location filename="../../ui/reports/store_rows.py" line="140"/>
        <source>Financed in total</source>
        <translation>融资总额</translation>
    </message>
    <message>
        <location filename="../../ui/reports/store_rows.py" line="30"/>
        <source>Waiting to be sent (sync)</source>
        <translation>待发送（同步）</translation>
    </message>
    <message>
        <location filename="../../ui/reports/store_rows.py" line="50"/>
        <source>{store} {name} · {start} – {end} · as of {time}</source>
        <translation>{store} {name} · {start} – {end} · 数据截至 {time}</translation>
    </message>
    <message>
        <location filename="../../ui/reports/store_rows.py" line="58"/>
        <source>only {login}</source>
        <translation>仅 {login}</translation>
    </message>
    <message>
        <location filename="../../ui/reports/store_rows.py" line="70"/>
        <source>the oldest for {age}</source>
        <translation>最早已等 {age}</translation>
    </message>
    <message>
        <location filename="../../ui/reports/store_rows.py" line="75"/>
        <source>{n} refused by the lender</source>
        <translation>{n} 笔被放款方拒收</translation>
    </message>
    <message>
        <location filename="../../ui/reports/store_rows.py" line="77"/>
        <source>nothing refused</source>
        <translation>无拒收</translation>
    </message>
    <message>
        <location filename="../../ui/reports/store_rows.py" line="82"/>
        <source>approved {approved} · declined {declined}</source>
        <translation>通过 {approved} · 拒绝 {declined}</translation>
    </message>
    <message>
        <location filename="../../ui/reports/store_rows.py" line="89"/>
        <source>of {n} decided</source>
        <translation>已决 {n} 笔</translation>
    </message>
    <message>
        <location filename="../../ui/reports/store_rows.py" line="105"/>
        <source>Applications per week</source>
        <translation>每周申请数</translation>
    </message>
    <message>
        <location filename="../../ui/reports/store_rows.py" line="107"/>
        <source>Applications per day</source>
        <translation>每日申请数</translation>
    </message>
    <message>
        <location filename="../../ui/reports/store_rows.py" line="111"/>
        <source>Funnel</source>
        <translation>转化漏斗</translation>
    </message>
    <message>
        <location filename="../../ui/reports/store_rows.py" line="115"/>
        <source>Product mix</source>
        <translation>产品构成</translation>
    </message>
    <message>
        <location filename="../../ui/reports/store_rows.py" line="120"/>
        <source>Term mix</source>
        <translation>期数构成</translation>
    </message>
    <message>
        <location filename="../../ui/reports/store_rows.py" line="133"/>
        <source>Per staff member</source>
        <translation>按员工</translation>
    </message>
    <message>
        <location filename="../../ui/reports/store_rows.py" line="135"/>
        <source>Staff member</source>
        <translation>员工</translation>
    </message>
    <message>
        <location filename="../../ui/reports/store_rows.py" line="137"/>
        <source>Approved</source>
        <translation>通过</translation>
    </message>
    <message>
        <location filename="../../ui/reports/store_rows.py" line="138"/>
        <source>Declined</source>
        <translation>拒绝</translation>
    </message>
    <message>
        <location filename="../../ui/reports/store_rows.py" line="156"/>
        <source>Decline reasons</source>
        <translation>拒绝原因</translation>
    </message>
    <message>
        <location filename="../../ui/reports/store_rows.py" line="157"/>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <location filename="../../ui/reports/store_rows.py" line="162"/>
        <source>Fraud flags</source>
        <translation>反欺诈标记</translation>
    </message>
    <message>
        <location filename="../../ui/reports/store_rows.py" line="163"/>
        <source>Flag</source>
        <translation>标记</translation>
    </message>
    <message>
        <location filename="../../ui/reports/store_rows.py" line="183"/>
        <source>Store {store} {name}</source>
        <translation>门店 {store} {name}</translation>
    </message>
    <message>
        <location filename="../../ui/reports/store_rows.py" line="186"/>
        <source>Period {start} – {end} (store-local days)</source>
        <translation>期间 {start} – {end}（门店当地日期）</translation>
    </message>
    <message>
        <location filename="../../ui/reports/store_rows.py" line="192"/>
        <source>Only the applications of {login}</source>
        <translation>仅 {login} 的申请</translation>
    </message>
    <message>
        <location filename="../../ui/reports/store_rows.py" line="196"/>
        <source>As of {time}</source>
        <translation>数据截至 {time}</translation>
    </message>
    <message>
        <location filename="../../ui/reports/store_rows.py" line="202"/>
        <source>Store report</source>
        <translation>门店报表</translation>
    </message>
    <message>
        <location filename="../../ui/reports/store_rows.py" line="207"/>
        <source>Figures</source>
        <translation>关键指标</translation>
    </message>
</context>
<context>
    <name>StoreView</name>
    <message>
        <location filename="../../ui/reports/store_view.py" line="149"/>
        <source>Sta&amp;ff</source>
        <translation>员工(&amp;F)</translation>
    </message>
    <message>
        <location filename="../../ui/reports/store_view.py" line="150"/>
        <source>Your own applications</source>
        <translation>您本人的申请</translation>
    </message>
    <message>
        <location filename="../../ui/reports/store_view.py" line="152"/>
        <location filename="../../ui/reports/store_view.py" line="199"/>
        <source>All staff</source>
        <translation>全部员工</translation>
    </message>
    <message>
        <location filename="../../ui/reports/store_view.py" line="153"/>
        <source>&amp;Refresh (F5)</source>
        <translation>刷新(&amp;R) (F5)</translation>
    </message>
    <message>
        <location filename="../../ui/reports/store_view.py" line="154"/>
        <source>Export &amp;CSV…</source>
        <translation>导出 CSV(&amp;C)…</translation>
    </message>
    <message>
        <location filename="../../ui/reports/store_view.py" line="155"/>
        <source>Export P&amp;DF…</source>
        <translation>导出 PDF(&amp;D)…</translation>
    </message>
    <message>
        <location filename="../../ui/reports/store_view.py" line="158"/>
        <source>Per staff member</source>
        <translation>按员工</translation>
    </message>
    <message>
        <location filename="../../ui/reports/store_view.py" line="159"/>
        <source>Decline reasons</source>
        <translation>拒绝原因</translation>
    </message>
    <message>
        <location filename="../../ui/reports/store_view.py" line="160"/>
        <source>Fraud flags</source>
        <translation>反欺诈标记</translation>
    </message>
    <message>
        <location filename="../../ui/reports/store_view.py" line="192"/>
        <source>Reading the figures…</source>
        <translation>正在读取数据…</translation>
    </message>
    <message>
        <location filename="../../ui/reports/store_view.py" line="265"/>
        <source>Export the store report</source>
        <translation>导出门店报表</translation>
    </message>
</context>
<context>
    <name>SyncPage</name>
    <message>
        <location filename="../../ui/pages/sync.py" line="85"/>
        <source>Sync</source>
        <translation>同步</translation>
    </message>
    <message>
        <location filename="../../ui/pages/sync.py" line="86"/>
        <source>Sync &amp;now</source>
        <translation>立即同步(&amp;N)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/sync.py" line="88"/>
        <source>Decisions from the lender</source>
        <translation>放款机构的审批结果</translation>
    </message>
    <message>
        <location filename="../../ui/pages/sync.py" line="90"/>
        <source>&amp;Fix and resend…</source>
        <translation>更正后重新发送(&amp;F)…</translation>
    </message>
    <message>
        <location filename="../../ui/pages/sync.py" line="148"/>
        <source>This PC is now the counter of store {store} · {name}.</source>
        <translation>本机现已成为门店 {store} · {name} 的柜台电脑。</translation>
    </message>
    <message>
        <location filename="../../ui/pages/sync.py" line="162"/>
        <source>Syncing…</source>
        <translation>正在同步…</translation>
    </message>
    <message>
        <location filename="../../ui/pages/sync.py" line="173"/>
        <source>Sent {sent}, refused {dead}, waiting to retry {retrying}.</source>
        <translation>已发送 {sent} 笔，被拒收 {dead} 笔，等待重试 {retrying} 笔。</translation>
    </message>
    <message>
        <location filename="../../ui/pages/sync.py" line="182"/>
        <source>Installed from the lender: {files}.</source>
        <translation>已安装贷款方下发的文件：{files}。</translation>
    </message>
    <message>
        <location filename="../../ui/pages/sync.py" line="188"/>
        <source>Decision for {reference}: {decision}</source>
        <translation>申请 {reference} 的审批结果：{decision}</translation>
    </message>
    <message>
        <location filename="../../ui/pages/sync.py" line="197"/>
        <source>Sync failed; logged.</source>
        <translation>同步失败，已记录日志。</translation>
    </message>
    <message>
        <location filename="../../ui/pages/sync.py" line="204"/>
        <source>approved</source>
        <translation>已批准</translation>
    </message>
    <message>
        <location filename="../../ui/pages/sync.py" line="205"/>
        <source>declined</source>
        <translation>已拒绝</translation>
    </message>
    <message>
        <location filename="../../ui/pages/sync.py" line="206"/>
        <source>sent to a reviewer</source>
        <translation>已转人工审核</translation>
    </message>
    <message>
        <location filename="../../ui/pages/sync.py" line="207"/>
        <source>cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <location filename="../../ui/pages/sync.py" line="228"/>
        <source>online</source>
        <translation>在线</translation>
    </message>
    <message>
        <location filename="../../ui/pages/sync.py" line="230"/>
        <source>offline</source>
        <translation>离线</translation>
    </message>
    <message>
        <location filename="../../ui/pages/sync.py" line="232"/>
        <source>not tried yet</source>
        <translation>尚未尝试</translation>
    </message>
    <message>
        <location filename="../../ui/pages/sync.py" line="234"/>
        <source>Central server: {state}. Waiting to send: {pending}{oldest}. Last success: {last}.</source>
        <translation>中心服务器：{state}。待发送：{pending}{oldest}。最近成功：{last}。</translation>
    </message>
    <message>
        <location filename="../../ui/pages/sync.py" line="215"/>
        <source> (oldest {minutes} min)</source>
        <translation>（最早的已等待 {minutes} 分钟）</translation>
    </message>
    <message>
        <location filename="../../ui/pages/sync.py" line="87"/>
        <source>&amp;Activate this PC…</source>
        <translation>激活本机(&amp;A)…</translation>
    </message>
    <message>
        <location filename="../../ui/pages/sync.py" line="89"/>
        <source>Refused by the lender: correct what the reason says, then Fix and resend</source>
        <translation>被放款方拒收：按原因更正后，点“更正后重新发送”</translation>
    </message>
    <message>
        <location filename="../../ui/pages/sync.py" line="218"/>
        <source>This PC is not connected to the lender&apos;s central server yet. Waiting to send: {pending}{oldest}; applications stay safely in the local store until it is.</source>
        <translation>本机尚未连接贷款方的中央服务器。待发送：{pending}{oldest}；连接之前，申请安全地保存在本机。</translation>
    </message>
    <message>
        <location filename="../../ui/pages/sync.py" line="222"/>
        <source>Activate this PC with the store&apos;s one-time code (or: fenqi device activate).</source>
        <translation>请用门店的一次性激活码激活本机（或运行：fenqi device activate）。</translation>
    </message>
    <message>
        <location filename="../../ui/pages/sync.py" line="224"/>
        <source>Store IT activates this PC.</source>
        <translation>本机需由门店 IT 激活。</translation>
    </message>
    <message>
        <location filename="../../ui/pages/sync.py" line="238"/>
        <source>never</source>
        <translation>从未</translation>
    </message>
    <message>
        <location filename="../../ui/pages/sync.py" line="245"/>
        <source>Version {version} is ready: store IT can install it now (fenqi update).</source>
        <translation>版本 {version} 已就绪：门店 IT 现在即可安装（fenqi update）。</translation>
    </message>
    <message>
        <location filename="../../ui/pages/sync.py" line="248"/>
        <source>Version {version} is offered; it can be installed once every application has reached the lender.</source>
        <translation>已提供版本 {version}；待所有申请发送至放款方后即可安装。</translation>
    </message>
    <message>
        <location filename="../../ui/pages/sync.py" line="253"/>
        <source>This version is no longer supported: update before the next sync.</source>
        <translation>此版本已不再受支持：请在下次同步前更新。</translation>
    </message>
    <message>
        <location filename="../../ui/pages/sync.py" line="256"/>
        <source>The central server reports that this PC&apos;s audit log was cut short or rewritten. Tell store IT and the lender; keep using the PC.</source>
        <translation>中心服务器报告本机的审计日志被截短或改写。请告知门店 IT 和贷款方；本机可继续使用。</translation>
    </message>
    <message>
        <location filename="../../ui/pages/sync.py" line="269"/>
        <source>{reference} · revision {revision}</source>
        <translation>{reference} · 第 {revision} 版</translation>
    </message>
    <message>
        <location filename="../../ui/pages/sync.py" line="291"/>
        <source>Send the selected application again, corrected, as its next revision.</source>
        <translation>将所选申请更正后作为下一版重新发送。</translation>
    </message>
    <message>
        <location filename="../../ui/pages/sync.py" line="293"/>
        <source>A sales consultant or store manager sends refused applications again.</source>
        <translation>被拒收的申请由销售顾问或店长重新发送。</translation>
    </message>
    <message>
        <location filename="../../ui/pages/sync.py" line="304"/>
        <source>Fix and resend</source>
        <translation>更正后重新发送</translation>
    </message>
    <message>
        <location filename="../../ui/pages/sync.py" line="306"/>
        <source>Send application {reference} again as revision {revision}?</source>
        <translation>将申请 {reference} 作为第 {revision} 版重新发送？</translation>
    </message>
    <message>
        <location filename="../../ui/pages/sync.py" line="312"/>
        <source>The application is sent again as revision {revision} with the details as they are now. Correct the cause first; the central server refused it with:

{reason}

If the cause is still there, the new revision is refused too.</source>
        <translation>申请将以当前资料作为第 {revision} 版重新发送。请先更正原因；中心服务器的拒收理由是：

{reason}

如果原因仍在，新版本也会被拒收。</translation>
    </message>
    <message>
        <location filename="../../ui/pages/sync.py" line="317"/>
        <source>&amp;Send again</source>
        <translation>重新发送(&amp;S)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/sync.py" line="318"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../ui/pages/sync.py" line="335"/>
        <source>Sending {reference} again…</source>
        <translation>正在重新发送 {reference}…</translation>
    </message>
    <message>
        <location filename="../../ui/pages/sync.py" line="339"/>
        <source>{reference} is waiting to send again as revision {revision}; it goes with the next sync.</source>
        <translation>{reference} 正作为第 {revision} 版等待重新发送，将随下次同步发出。</translation>
    </message>
    <message>
        <location filename="../../ui/pages/sync.py" line="347"/>
        <source>Resending failed; logged.</source>
        <translation>重新发送失败，已记录日志。</translation>
    </message>
</context>
</TS>
