// The mapping of micro-gw.conf onto gatehouse.yaml, shared by mgwruntimeconfig.cpp (listeners, key
// manager, other sections) and mgwsecurityconfig.cpp (issuers, API keys, users). Internal.
#pragma once

#include "mgwruntimeconfig.h"

#include <QFileInfo>
#include <QStringList>

#include <optional>

namespace Gatehouse {

class MgwConfigMapper
{
public:
    MgwConfigMapper(const TomlValue &root, const QString &file, const QString &certificateDir, Diagnostics &diagnostics)
        : m_root(root), m_file(file), m_certificateDir(certificateDir), m_diagnostics(diagnostics)
    {}

    MgwRuntimeImport run();

private:
    void listeners();
    void authConfig();
    void keyManager();
    QString issuerName(const QString &issuer, const std::optional<QString> &given);
    QString certificateFor(const QString &alias);
    void jwtIssuers();
    void apiKeys();
    void user(const QString &name, const TomlValue &t);
    void users();
    void otherSections();

    const TomlValue &m_root;
    QString m_file;
    QString m_certificateDir;
    Diagnostics &m_diagnostics;
    MgwRuntimeImport m_out;
    QString m_securityTop, m_apiKeys, m_issuers, m_keyManagers, m_users;
    QStringList m_issuerNames;
    QString m_apiKeyIssuer;

    SourceLocation at(const TomlValue &v) const { return {m_file, v.line, v.column}; }
    void note(const TomlValue &v, const QString &what, const QString &why)
    {
        m_out.notCarried.append({at(v), what, why});
    }
    // A table of the root, in either spelling MGW used over the years ("keyManager"/"keymanager").
    const TomlValue *section(const QStringList &names) const
    {
        for (const QString &name : names) {
            if (const TomlValue *v = m_root.path(name.split(u'.')); v && v->isTable())
                return v;
        }
        return nullptr;
    }
    bool wrongType(const TomlValue &v, const QString &key, const QString &where, const QString &expected)
    {
        m_diagnostics.error(at(v), QStringLiteral("'%1' in %2 must be %3, found %4 %5")
                                       .arg(key, where, expected,
                                            v.kind == TomlValue::Kind::Integer ? QStringLiteral("an") : QStringLiteral("a"),
                                            v.kindName()));
        return false;
    }
    std::optional<QString> string(const TomlValue *t, const QString &key, const QString &where)
    {
        const TomlValue *v = t ? t->find(key) : nullptr;
        if (!v)
            return std::nullopt;
        if (v->kind != TomlValue::Kind::String) {
            wrongType(*v, key, where, QStringLiteral("a string"));
            return std::nullopt;
        }
        return v->text;
    }
    std::optional<qint64> integer(const TomlValue *t, const QString &key, const QString &where)
    {
        const TomlValue *v = t ? t->find(key) : nullptr;
        if (!v)
            return std::nullopt;
        if (v->kind != TomlValue::Kind::Integer) {
            wrongType(*v, key, where, QStringLiteral("an integer"));
            return std::nullopt;
        }
        return v->integer;
    }
    std::optional<bool> boolean(const TomlValue *t, const QString &key, const QString &where)
    {
        const TomlValue *v = t ? t->find(key) : nullptr;
        if (!v)
            return std::nullopt;
        if (v->kind != TomlValue::Kind::Boolean) {
            wrongType(*v, key, where, QStringLiteral("true or false"));
            return std::nullopt;
        }
        return v->boolean;
    }
    std::optional<int> port(const TomlValue *t, const QString &key, const QString &where)
    {
        const std::optional<qint64> p = integer(t, key, where);
        if (p && (*p < 1 || *p > 65535)) {
            m_diagnostics.error(at(*t->find(key)),
                                QStringLiteral("'%1' in %2 is %3, not a port (1-65535)").arg(key, where).arg(*p));
            return std::nullopt;
        }
        return p ? std::optional<int>(int(*p)) : std::nullopt;
    }
    // A file under keys/ holding a secret, referenced as ${file:...} so gatehouse.yaml has no literal.
    QString secretFile(const QString &name, const QString &value)
    {
        const QString path = QStringLiteral("keys/%1").arg(name);
        m_out.secretFiles.append({path, value.toUtf8()});
        return QStringLiteral("${file:%1}").arg(path);
    }










};

} // namespace Gatehouse
