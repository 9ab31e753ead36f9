// gatehouse.yaml for a bundle: secrets replaced in place by ${env:NAME} references.
#include "settingsexport.h"

#include "environmentoverrides.h"

#include "project/sourcedocument.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonObject>

#include <algorithm>

namespace Gatehouse {

namespace {

struct Replacement
{
    qsizetype begin = 0;
    qsizetype end = 0;
    QByteArray text;
};

// Byte offset of 1-based line:column (yaml-cpp counts columns in bytes).
qsizetype offsetOf(const QByteArray &text, int line, int column)
{
    qsizetype pos = 0;
    for (int l = 1; l < line; ++l) {
        pos = text.indexOf('\n', pos);
        if (pos < 0)
            return -1;
        ++pos;
    }
    pos += column - 1;
    return pos < text.size() ? pos : -1;
}

// The end of the scalar starting at `begin` (exclusive), or -1 for a block scalar.
qsizetype scalarEnd(const QByteArray &text, qsizetype begin)
{
    const char first = text.at(begin);
    if (first == '|' || first == '>')
        return -1;
    if (first == '"') {
        for (qsizetype i = begin + 1; i < text.size(); ++i) {
            if (text.at(i) == '\\')
                ++i;
            else if (text.at(i) == '"')
                return i + 1;
        }
        return -1;
    }
    if (first == '\'') {
        for (qsizetype i = begin + 1; i < text.size(); ++i) {
            if (text.at(i) != '\'')
                continue;
            if (i + 1 < text.size() && text.at(i + 1) == '\'')
                ++i;
            else
                return i + 1;
        }
        return -1;
    }
    // A plain scalar: to the end of the line, a comment, or (inside {...} / [...]) a flow indicator.
    const qsizetype lineStart = text.lastIndexOf('\n', begin) + 1;
    const QByteArray before = text.mid(lineStart, begin - lineStart);
    const bool inFlow = before.contains('{') || before.contains('[');
    qsizetype end = begin;
    while (end < text.size() && text.at(end) != '\n' && text.at(end) != '\r') {
        if (text.at(end) == '#' && (text.at(end - 1) == ' ' || text.at(end - 1) == '\t'))
            break;
        if (inFlow && (text.at(end) == ',' || text.at(end) == '}' || text.at(end) == ']'))
            break;
        ++end;
    }
    while (end > begin && (text.at(end - 1) == ' ' || text.at(end - 1) == '\t'))
        --end;
    return end;
}

class Scrubber
{
public:
    Scrubber(const QByteArray &text, const SourceDocument &doc, bool includeSecrets, Diagnostics &diagnostics,
             SettingsExport &out)
        : m_text(text), m_doc(doc), m_include(includeSecrets), m_diags(diagnostics), m_out(out)
    {}

    void visit(const QString &pointer, const QString &setting, const QString &variable)
    {
        const QJsonValue value = valueAt(pointer);
        if (!value.isString())
            return;
        const QString written = value.toString();
        ExportedSecret secret;
        secret.setting = setting;
        secret.location = m_doc.locate(pointer);
        if (written.startsWith(QStringLiteral("${env:")) && written.endsWith(u'}')) {
            secret.variable = written.mid(6, written.size() - 7);
            m_out.secrets.append(secret);
            return;
        }
        if (written.startsWith(QStringLiteral("${file:")) && written.endsWith(u'}')) {
            const QString path = written.mid(7, written.size() - 8);
            if (QDir::isAbsolutePath(path)) {
                secret.filePath = path;   // a deployment mount: nothing of it is in the project
                m_out.secrets.append(secret);
                return;
            }
            m_out.secretFiles.append(QDir::cleanPath(path));
        }
        secret.variable = variable;
        secret.removed = !m_include;
        m_out.secrets.append(secret);
        if (!m_include)
            replace(pointer, QStringLiteral("\"${env:%1}\"").arg(variable).toUtf8());
    }

    QJsonValue valueAt(const QString &pointer) const
    {
        QJsonValue v = m_doc.root();
        for (const QString &segment : JsonPointer::split(pointer).value_or(QStringList())) {
            v = v.isArray() ? v.toArray().at(segment.toInt()) : v.toObject().value(segment);
        }
        return v;
    }

    QByteArray result()
    {
        std::sort(m_replacements.begin(), m_replacements.end(),
                  [](const Replacement &a, const Replacement &b) { return a.begin > b.begin; });
        QByteArray text = m_text;
        for (const Replacement &r : m_replacements)
            text.replace(r.begin, r.end - r.begin, r.text);
        return text;
    }

private:
    void replace(const QString &pointer, const QByteArray &with)
    {
        const SourceLocation where = m_doc.locate(pointer);
        const qsizetype begin = offsetOf(m_text, where.line, where.column);
        const qsizetype end = begin < 0 ? -1 : scalarEnd(m_text, begin);
        if (end < 0) {
            m_diags.error(where, QStringLiteral("this secret cannot be left out of the export: write it on one "
                                                "line, or better as ${env:NAME}"));
            return;
        }
        for (const Replacement &r : std::as_const(m_replacements)) {
            if (r.begin == begin)
                return;   // one YAML anchor merged into several places
        }
        m_replacements.append({begin, end, with});
    }

    const QByteArray &m_text;
    const SourceDocument &m_doc;
    bool m_include;
    Diagnostics &m_diags;
    SettingsExport &m_out;
    QList<Replacement> m_replacements;
};

} // namespace

SettingsExport exportSettingsText(const QByteArray &text, const QString &displayPath, bool includeSecrets,
                                  Diagnostics &diagnostics)
{
    SettingsExport out;
    out.text = text;
    const std::shared_ptr<const SourceDocument> doc = SourceDocument::parse(text, displayPath, diagnostics,
                                                                            SourceDocument::Syntax::Yaml);
    if (!doc)
        return out;
    Scrubber scrubber(text, *doc, includeSecrets, diagnostics, out);
    const QJsonObject security = doc->root().toObject().value(QStringLiteral("security")).toObject();
    auto eachNamed = [&](const QString &list, const auto &visitEntry) {
        const QJsonArray entries = security.value(list).toArray();
        for (qsizetype i = 0; i < entries.size(); ++i) {
            const QString name = entries.at(i).toObject().value(QStringLiteral("name")).toString();
            visitEntry(QStringLiteral("/security/%1/%2/").arg(list).arg(i),
                       QStringLiteral("security.%1[%2].").arg(list, name), environmentToken(name));
        }
    };
    eachNamed(QStringLiteral("issuers"), [&](const QString &p, const QString &s, const QString &token) {
        scrubber.visit(p + QStringLiteral("secret"), s + QStringLiteral("secret"),
                       QStringLiteral("GATEHOUSE_ISSUER_%1_SECRET").arg(token));
    });
    eachNamed(QStringLiteral("keyManagers"), [&](const QString &p, const QString &s, const QString &token) {
        scrubber.visit(p + QStringLiteral("clientSecret"), s + QStringLiteral("clientSecret"),
                       QStringLiteral("GATEHOUSE_KEYMANAGER_%1_CLIENT_SECRET").arg(token));
        scrubber.visit(p + QStringLiteral("bearerToken"), s + QStringLiteral("bearerToken"),
                       QStringLiteral("GATEHOUSE_KEYMANAGER_%1_BEARER_TOKEN").arg(token));
    });
    eachNamed(QStringLiteral("users"), [&](const QString &p, const QString &s, const QString &token) {
        scrubber.visit(p + QStringLiteral("passwordHash"), s + QStringLiteral("passwordHash"),
                       QStringLiteral("GATEHOUSE_USER_%1_PASSWORD_HASH").arg(token));
        scrubber.visit(p + QStringLiteral("password"), s + QStringLiteral("password"),
                       QStringLiteral("GATEHOUSE_USER_%1_PASSWORD").arg(token));
    });
    scrubber.visit(QStringLiteral("/throttling/redisPassword"), QStringLiteral("throttling.redisPassword"),
                   QStringLiteral("GATEHOUSE_REDIS_PASSWORD"));
    out.text = scrubber.result();
    return out;
}

} // namespace Gatehouse
