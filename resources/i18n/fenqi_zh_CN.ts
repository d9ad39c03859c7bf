<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="zh_CN">
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../ui/main_window.py" line="20" />
        <location filename="../../ui/main_window.py" line="37" />
        <source>Fenqi POS</source>
        <translation>分期 POS</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="48" />
        <source>Opening the local store…</source>
        <translation>正在打开本地存储…</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="55" />
        <source>Sign-in and the counter screens are coming with the next release.</source>
        <translation>登录和柜台页面将在下一版本提供。</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="60" />
        <source>Starting…</source>
        <translation>正在启动…</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="65" />
        <source>Store {code} · {name}</source>
        <translation>门店 {code} · {name}</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="68" />
        <source>Local store ready: {total} applications, {drafts} drafts, {customers} customers.</source>
        <translation>本地存储已就绪：共 {total} 笔申请，其中 {drafts} 笔草稿；客户 {customers} 位。</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="76" />
        <source>Development mode: the data key is kept in {where}, not in the operating system's keyring. Do not use this mode in a store.</source>
        <translation>开发模式：数据密钥保存在{where}，而非操作系统钥匙串。门店正式使用时请勿启用此模式。</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="81" />
        <source>Key store: {where}</source>
        <translation>密钥存储：{where}</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="86" />
        <source>The local store could not be opened.</source>
        <translation>无法打开本地存储。</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="88" />
        <source>Local store closed</source>
        <translation>本地存储未打开</translation>
    </message>
</context>
</TS>