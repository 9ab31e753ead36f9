// The rewrite policy: upstream path from a template over path parameters; query edits.
#include "rewritepolicy.h"

#include "pipeline/requestcontext.h"
#include "policies/headers/valuetemplate.h"
#include "policies/registry/policyregistry.h"
#include "project/gatewayconfig.h"

#include <QJsonArray>

namespace Gatehouse {

namespace {

struct PathPart
{
    QByteArray literal;
    int param = -1;   // index into the router's parameter values, or -1 for a literal
};

struct QuerySet
{
    QByteArray name;
    ValueTemplate value;
};

bool unreserved(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.'
           || c == '_' || c == '~';
}

void appendEncoded(QByteArray &out, QByteArrayView value)
{
    static const char kHex[] = "0123456789ABCDEF";
    for (char c : value) {
        if (unreserved(c)) {
            out += c;
        } else {
            const auto u = static_cast<unsigned char>(c);
            out += '%';
            out += kHex[u >> 4];
            out += kHex[u & 15];
        }
    }
}

class RewriteFilter final : public Filter
{
public:
    RewriteFilter(QList<PathPart> path, bool rewritePath, bool keepQuery, QList<QByteArray> remove,
                  QList<QuerySet> set)
        : m_path(std::move(path)), m_rewritePath(rewritePath), m_keepQuery(keepQuery),
          m_remove(std::move(remove)), m_set(std::move(set)) {}

    Phase phase() const override { return Phase::Interceptor; }
    QLatin1StringView name() const override { return QLatin1StringView("rewrite"); }

    FilterStatus onRequest(RequestContext &ctx) const override
    {
        // The current target: an earlier rewrite's, or the request's own below the base path.
        QByteArray path = ctx.upstreamPathSet ? ctx.upstreamPath
                                              : ctx.path.sliced(qMin(ctx.path.size(), ctx.route->basePath.size())).toByteArray();
        const QByteArray query = ctx.upstreamPathSet ? ctx.upstreamQuery : ctx.query.toByteArray();
        if (m_rewritePath) {
            const Router::Match match = ctx.config->router.match(ctx.method, ctx.path);
            path.clear();
            for (const PathPart &p : m_path) {
                if (p.param < 0)
                    path += p.literal;
                else if (p.param < match.params.size())
                    path += match.params.at(p.param);
            }
        }
        QByteArray out;
        if (m_keepQuery) {
            QByteArrayView rest = QByteArrayView(query).startsWith('?') ? QByteArrayView(query).sliced(1) : QByteArrayView(query);
            while (!rest.isEmpty()) {
                const qsizetype amp = rest.indexOf('&');
                const QByteArrayView pair = amp < 0 ? rest : rest.first(amp);
                const qsizetype eq = pair.indexOf('=');
                const QByteArrayView name = eq < 0 ? pair : pair.first(eq);
                if (!pair.isEmpty() && !dropped(name)) {
                    out += out.isEmpty() ? '?' : '&';
                    out += pair;
                }
                rest = amp < 0 ? QByteArrayView() : rest.sliced(amp + 1);
            }
        }
        for (const QuerySet &s : m_set) {
            out += out.isEmpty() ? '?' : '&';
            appendEncoded(out, s.name);
            out += '=';
            appendEncoded(out, s.value.expand(ctx));
        }
        ctx.upstreamPath = path.isEmpty() ? QByteArray("/") : path;
        ctx.upstreamQuery = out;
        ctx.upstreamPathSet = true;
        return FilterStatus::Continue;
    }

private:
    bool dropped(QByteArrayView name) const
    {
        for (const QByteArray &r : m_remove) {
            if (r == name)
                return true;
        }
        for (const QuerySet &s : m_set) {
            if (s.name == name)
                return true;
        }
        return false;
    }

    QList<PathPart> m_path;
    bool m_rewritePath;
    bool m_keepQuery;
    QList<QByteArray> m_remove;
    QList<QuerySet> m_set;
};

void checkRewrite(const QJsonObject &settings, QStringList &problems)
{
    const QJsonObject query = settings.value(u"query").toObject();
    if (!settings.contains(u"path") && query.value(u"set").toObject().isEmpty()
        && query.value(u"remove").toArray().isEmpty() && query.value(u"keep").toBool())
        problems.append(QStringLiteral("settings: nothing to rewrite: give 'path' or query edits"));
    const QJsonObject set = query.value(u"set").toObject();
    for (auto it = set.constBegin(); it != set.constEnd(); ++it) {
        ValueTemplate t;
        QString error;
        if (!t.parse(it.value().toString(), &error))
            problems.append(QStringLiteral("settings.query.set.%1: %2").arg(it.key(), error));
    }
}

std::shared_ptr<const Filter> buildRewrite(const PolicyBuildContext &ctx)
{
    QList<PathPart> parts;
    const bool rewritePath = ctx.settings.contains(u"path");
    if (rewritePath) {
        const QString path = ctx.settings.value(u"path").toString();
        const QList<QString> &names = ctx.config.router.parameterNames(ctx.route.id);
        qsizetype i = 0;
        while (i < path.size()) {
            const qsizetype open = path.indexOf(u'{', i);
            if (open < 0) {
                parts.append({path.mid(i).toUtf8(), -1});
                break;
            }
            if (open > i)
                parts.append({path.mid(i, open - i).toUtf8(), -1});
            const qsizetype close = path.indexOf(u'}', open);
            if (close < 0) {
                ctx.error(QStringLiteral("settings.path: '{' at position %1 is not closed with '}'").arg(open + 1));
                return nullptr;
            }
            const QString name = path.mid(open + 1, close - open - 1);
            const qsizetype index = names.indexOf(name);
            if (index < 0) {
                ctx.error(QStringLiteral("settings.path: '{%1}' is not a path parameter of %2 %3 (it has: %4)")
                              .arg(name, ctx.route.method, ctx.route.pathTemplate,
                                   names.isEmpty() ? QStringLiteral("none") : QStringList(names).join(QStringLiteral(", "))));
                return nullptr;
            }
            parts.append({{}, int(index)});
            i = close + 1;
        }
    }
    const QJsonObject query = ctx.settings.value(u"query").toObject();
    QList<QByteArray> remove;
    for (const QJsonValue &v : query.value(u"remove").toArray())
        remove.append(v.toString().toUtf8());
    QList<QuerySet> set;
    const QJsonObject s = query.value(u"set").toObject();
    for (auto it = s.constBegin(); it != s.constEnd(); ++it) {
        QuerySet q;
        q.name = it.key().toUtf8();
        QString error;
        q.value.parse(it.value().toString(), &error);   // checked by checkRewrite()
        set.append(std::move(q));
    }
    return std::make_shared<const RewriteFilter>(std::move(parts), rewritePath, query.value(u"keep").toBool(),
                                                 std::move(remove), std::move(set));
}

} // namespace

PolicyDescriptor rewritePolicy()
{
    PolicyDescriptor d;
    d.name = QStringLiteral("rewrite");
    d.version = QStringLiteral("1.0");
    d.description = QStringLiteral(
        "Rewrites the target sent upstream: the path (below the upstream URL's own path) from a template "
        "over the operation's path parameters (such as `/v2/animals/{petId}`), and the query: parameters set "
        "(values may use ${...} substitutions, percent-encoded), removed, or all dropped with `keep: false`.");
    d.priority = 700;
    d.requestPhase = true;
    d.settings = SettingSchema::object({
        {QStringLiteral("path"), SettingSchema::text(QStringLiteral("The upstream path; {name} inserts a path parameter as sent"))
                                     .withPattern(QStringLiteral("/[^\\s?#]*"), QStringLiteral("a path starting with '/'"))},
        {QStringLiteral("query"),
         SettingSchema::object({
             {QStringLiteral("keep"), SettingSchema::boolean(QStringLiteral("Forward the request's own parameters"))
                                          .withDefault(true)},
             {QStringLiteral("remove"), SettingSchema::array(SettingSchema::text(QStringLiteral("A parameter name")),
                                                             QStringLiteral("Parameters dropped"))
                                            .withDefault(QJsonArray())},
             {QStringLiteral("set"), SettingSchema::map(SettingSchema::text(QStringLiteral("A value; may use ${...}")),
                                                        QStringLiteral("Parameters set (replacing the request's), name: value"))
                                         .withDefault(QJsonObject())},
         }, QStringLiteral("Query edits"))
             .withDefault(QJsonObject{{QStringLiteral("keep"), true}})},
    });
    d.check = &checkRewrite;
    d.build = &buildRewrite;
    return d;
}

} // namespace Gatehouse
