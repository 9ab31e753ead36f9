// The OpenAPI loader's shared state: typed reads that report wrong kinds, and small shared rules.
#include "openapicontext.h"

namespace Gatehouse::OpenApi {

Context::Context(const QString &projectDir, const QString &relativePath,
                 std::shared_ptr<const SourceDocument> main, Diagnostics &diagnostics,
                 OpenApiVersion v)
    : diags(diagnostics),
      // Each walk visits a written value about once (shared $ref targets are inlined once), so
      // real documents use a few percent of this (docker-engine: 6,600 of 333,000); alias
      // bombs run out quickly.
      budget(100'000 + 20 * qint64(main->valueCount()), diagnostics, {relativePath, 1, 1}),
      docs(projectDir, relativePath, main),
      refs(docs, diagnostics, v, budget),
      version(v),
      root{main.get(), QString(), main->root()}
{}

void Context::wrongKind(const Node &n, const QString &what, const QString &expected)
{
    error(n.location(), QStringLiteral("'%1' must be %2, found %3").arg(what, expected, jsonKindName(n.value)));
}

std::optional<QString> Context::string(const Node &n, const QString &what)
{
    if (n.value.isUndefined())
        return std::nullopt;
    if (!n.value.isString()) {
        wrongKind(n, what, QStringLiteral("a string"));
        return std::nullopt;
    }
    return n.value.toString();
}

std::optional<bool> Context::boolean(const Node &n, const QString &what)
{
    if (n.value.isUndefined())
        return std::nullopt;
    if (!n.value.isBool()) {
        wrongKind(n, what, QStringLiteral("true or false"));
        return std::nullopt;
    }
    return n.value.toBool();
}

std::optional<qint64> Context::integer(const Node &n, const QString &what, qint64 minimum)
{
    if (n.value.isUndefined())
        return std::nullopt;
    const double d = n.value.toDouble();
    if (!n.value.isDouble() || d != double(qint64(d)) || d < double(minimum) || d > 9.0e15) {
        error(n.location(), QStringLiteral("'%1' must be a whole number of at least %2, found %3")
                                .arg(what)
                                .arg(minimum)
                                .arg(n.value.isDouble() ? QString::number(d) : jsonKindName(n.value)));
        return std::nullopt;
    }
    return qint64(d);
}

bool Context::isObject(const Node &n, const QString &what)
{
    if (n.value.isObject())
        return true;
    if (!n.value.isUndefined())
        wrongKind(n, what, QStringLiteral("a map"));
    return false;
}

bool Context::isArray(const Node &n, const QString &what)
{
    if (n.value.isArray())
        return true;
    if (!n.value.isUndefined())
        wrongKind(n, what, QStringLiteral("a list"));
    return false;
}

std::optional<QStringList> Context::stringList(const Node &n, const QString &what, bool allowSingle)
{
    if (n.value.isUndefined())
        return std::nullopt;
    if (allowSingle && n.value.isString())
        return QStringList{n.value.toString()};
    if (!n.value.isArray()) {
        wrongKind(n, what, allowSingle ? QStringLiteral("a string or a list of strings")
                                       : QStringLiteral("a list of strings"));
        return std::nullopt;
    }
    QStringList out;
    const QJsonArray a = n.array();
    for (qsizetype i = 0; i < a.size(); ++i) {
        if (a.at(i).isString())
            out.append(a.at(i).toString());
        else
            wrongKind(n[i], what + QStringLiteral(" item"), QStringLiteral("a string"));
    }
    return out;
}

const QStringList &httpMethods()
{
    static const QStringList methods{QStringLiteral("get"),     QStringLiteral("put"),
                                     QStringLiteral("post"),    QStringLiteral("delete"),
                                     QStringLiteral("options"), QStringLiteral("head"),
                                     QStringLiteral("patch"),   QStringLiteral("trace")};
    return methods;
}

QString endpointUrlProblem(const QUrl &url)
{
    if (!url.isValid() || url.toString().contains(QStringLiteral("%7B")))
        return QStringLiteral("it is not a valid URL");
    const QString scheme = url.scheme().toLower();
    if (scheme != u"http" && scheme != u"https" && scheme != u"h2c")
        return QStringLiteral("it must start with http://, https:// or h2c://");
    if (url.host().isEmpty())
        return QStringLiteral("it has no host name");
    return {};
}

} // namespace Gatehouse::OpenApi
