// Header and query values with ${...} substitutions, parsed once and expanded per request.
#include "valuetemplate.h"

#include "pipeline/requestcontext.h"
#include "project/gatewayconfig.h"

namespace Gatehouse {

namespace {

void appendClean(QByteArray &out, QByteArrayView value)
{
    for (char c : value)
        out += (static_cast<unsigned char>(c) < 0x20 && c != '\t') || c == 0x7f ? ' ' : c;
}

QByteArrayView queryParam(QByteArrayView query, QByteArrayView name)
{
    // query is "?a=b&c=d"; values are returned raw (still percent-encoded).
    if (query.startsWith('?'))
        query = query.sliced(1);
    while (!query.isEmpty()) {
        const qsizetype amp = query.indexOf('&');
        const QByteArrayView pair = amp < 0 ? query : query.first(amp);
        const qsizetype eq = pair.indexOf('=');
        if ((eq < 0 ? pair : pair.first(eq)) == name)
            return eq < 0 ? QByteArrayView("", 0) : pair.sliced(eq + 1);
        query = amp < 0 ? QByteArrayView() : query.sliced(amp + 1);
    }
    return {};
}

} // namespace

bool ValueTemplate::parse(const QString &text, QString *error)
{
    m_parts.clear();
    QString literal;
    auto flush = [&] {
        if (!literal.isEmpty())
            m_parts.append({Kind::Literal, literal.toUtf8()});
        literal.clear();
    };
    qsizetype i = 0;
    while (i < text.size()) {
        if (text.mid(i, 3) == u"$${") {
            literal += QStringLiteral("${");
            i += 3;
            continue;
        }
        if (text.mid(i, 2) != u"${") {
            literal += text.at(i++);
            continue;
        }
        const qsizetype close = text.indexOf(u'}', i + 2);
        if (close < 0) {
            *error = QStringLiteral("'${' at position %1 is not closed with '}'").arg(i + 1);
            return false;
        }
        const QString var = text.mid(i + 2, close - i - 2);
        flush();
        static const struct { const char16_t *name; Kind kind; } kFixed[] = {
            {u"request.method", Kind::Method}, {u"request.path", Kind::Path},
            {u"principal.subject", Kind::Subject}, {u"principal.scopes", Kind::Scopes},
            {u"principal.issuer", Kind::Issuer}, {u"principal.application", Kind::Application},
            {u"route.operationId", Kind::OperationId}, {u"api.name", Kind::ApiName},
            {u"api.version", Kind::ApiVersion},
        };
        static const struct { const char16_t *prefix; Kind kind; } kNamed[] = {
            {u"request.header.", Kind::RequestHeader}, {u"request.query.", Kind::QueryParam},
            {u"principal.claim.", Kind::Claim},
        };
        bool known = false;
        for (const auto &f : kFixed) {
            if (var == QStringView(f.name)) {
                m_parts.append({f.kind, {}});
                known = true;
            }
        }
        for (const auto &n : kNamed) {
            const QStringView prefix(n.prefix);
            if (!known && var.startsWith(prefix) && var.size() > prefix.size()) {
                const QString name = var.mid(prefix.size());
                m_parts.append({n.kind, n.kind == Kind::RequestHeader ? name.toLower().toUtf8() : name.toUtf8()});
                known = true;
            }
        }
        if (!known) {
            *error = QStringLiteral("unknown variable '${%1}' (known: request.method, request.path, "
                                    "request.header.NAME, request.query.NAME, principal.subject, "
                                    "principal.scopes, principal.issuer, principal.application, "
                                    "principal.claim.NAME, route.operationId, api.name, api.version)")
                         .arg(var);
            return false;
        }
        i = close + 1;
    }
    flush();
    return true;
}

QByteArray ValueTemplate::expand(const RequestContext &ctx) const
{
    QByteArray out;
    for (const Part &p : m_parts) {
        switch (p.kind) {
        case Kind::Literal: out += p.text; break;
        case Kind::Method: appendClean(out, ctx.method); break;
        case Kind::Path: appendClean(out, ctx.path); break;
        case Kind::RequestHeader: appendClean(out, ctx.header(p.text)); break;
        case Kind::QueryParam: appendClean(out, queryParam(ctx.query, p.text)); break;
        case Kind::Subject: appendClean(out, ctx.caller().subject.toUtf8()); break;
        case Kind::Scopes: appendClean(out, ctx.caller().scopes.join(u' ').toUtf8()); break;
        case Kind::Issuer: appendClean(out, ctx.caller().issuer.toUtf8()); break;
        case Kind::Application: appendClean(out, ctx.caller().application.toUtf8()); break;
        case Kind::Claim: {
            const QJsonValue v = ctx.caller().claims.value(QString::fromUtf8(p.text));
            if (v.isString())
                appendClean(out, v.toString().toUtf8());
            else if (v.isDouble())
                out += QByteArray::number(v.toDouble(), 'g', 17);
            else if (v.isBool())
                out += v.toBool() ? "true" : "false";
            break;
        }
        case Kind::OperationId:
            if (ctx.route)
                appendClean(out, ctx.route->operationId.toUtf8());
            break;
        case Kind::ApiName:
            if (ctx.route && ctx.route->api)
                appendClean(out, ctx.route->api->name.toUtf8());
            break;
        case Kind::ApiVersion:
            if (ctx.route && ctx.route->api)
                appendClean(out, ctx.route->api->version.toUtf8());
            break;
        }
    }
    return out;
}

QString ValueTemplate::variablesHelp()
{
    return QStringLiteral(
        "Values may use substitutions, expanded per request (a missing value gives \"\"; control\n"
        "characters become spaces; `$${` writes a literal `${`):\n\n"
        "| variable | value |\n|---|---|\n"
        "| `${request.method}` | the request's method |\n"
        "| `${request.path}` | the request's path (normalised, as sent) |\n"
        "| `${request.header.NAME}` | the first value of the request header NAME |\n"
        "| `${request.query.NAME}` | the query parameter NAME, still percent-encoded |\n"
        "| `${principal.subject}` | the authenticated caller's subject |\n"
        "| `${principal.scopes}` | the caller's scopes, space-separated |\n"
        "| `${principal.issuer}` | the issuer that admitted the caller |\n"
        "| `${principal.application}` | the caller's application (azp, client_id) |\n"
        "| `${principal.claim.NAME}` | a verified claim (text, number or true/false) |\n"
        "| `${route.operationId}` | the operation's operationId |\n"
        "| `${api.name}`, `${api.version}` | the API's title and version |");
}

} // namespace Gatehouse
