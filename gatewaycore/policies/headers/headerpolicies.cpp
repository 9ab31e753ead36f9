// The header policies: set-headers, remove-headers and rename-headers, both ways.
#include "headerpolicies.h"

#include "valuetemplate.h"

#include "http/http1head.h"
#include "pipeline/editbuffers.h"
#include "pipeline/requestcontext.h"
#include "policies/registry/policyregistry.h"

#include <QJsonArray>

#include <array>
#include <string_view>

namespace Gatehouse {

namespace {

enum class HeaderOp { Set = 1, Remove, Rename };

const QString kTokenPattern = QStringLiteral("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

struct HeaderEdit
{
    QByteArray name;      // Set/Remove: the field; Rename: the old name
    QByteArray to;        // Rename: the new name
    ValueTemplate value;  // Set
};

class HeaderEditFilter final : public Filter
{
public:
    HeaderEditFilter(HeaderOp op, QList<HeaderEdit> request, QList<HeaderEdit> response)
        : m_op(op), m_request(std::move(request)), m_response(std::move(response)) {}

    Phase phase() const override { return Phase::Interceptor; }
    QLatin1StringView name() const override
    {
        return QLatin1StringView(m_op == HeaderOp::Set ? "set-headers" : m_op == HeaderOp::Remove ? "remove-headers"
                                                                                                  : "rename-headers");
    }

    FilterStatus onRequest(RequestContext &ctx) const override
    {
        for (const HeaderEdit &e : m_request) {
            switch (m_op) {
            case HeaderOp::Set: setUpstreamHeader(ctx, e.name, e.value.expand(ctx)); break;
            case HeaderOp::Remove: removeUpstreamHeader(ctx, e.name); break;
            case HeaderOp::Rename: {
                const QByteArray value = currentUpstreamHeader(ctx, e.name);
                if (!value.isNull()) {
                    removeUpstreamHeader(ctx, e.name);
                    setUpstreamHeader(ctx, e.to, value);
                }
                break;
            }
            }
        }
        return FilterStatus::Continue;
    }

    void onResponseHead(RequestContext &ctx, int status) const override
    {
        (void)status;
        for (const HeaderEdit &e : m_response) {
            switch (m_op) {
            case HeaderOp::Set: setResponseHeader(ctx, e.name, e.value.expand(ctx)); break;
            case HeaderOp::Remove: removeResponseHeader(ctx, e.name); break;
            case HeaderOp::Rename: {
                const QByteArray value = currentResponseHeader(ctx, e.name);
                if (!value.isNull()) {
                    removeResponseHeader(ctx, e.name);
                    setResponseHeader(ctx, e.to, value);
                }
                break;
            }
            }
        }
    }

private:
    HeaderOp m_op;
    QList<HeaderEdit> m_request;
    QList<HeaderEdit> m_response;
};

SettingSchema headerName(const QString &description)
{
    return SettingSchema::text(description).withPattern(kTokenPattern, QStringLiteral("a header name")).asRequired();
}

SettingSchema bothWays(const SettingSchema &item, const QString &request, const QString &response)
{
    return SettingSchema::object({
        {QStringLiteral("request"), SettingSchema::array(item, request).withDefault(QJsonArray())},
        {QStringLiteral("response"), SettingSchema::array(item, response).withDefault(QJsonArray())},
    });
}

// The field names an entry touches, with their paths: "settings.request[0].name" -> "X-Id".
QList<std::pair<QString, QString>> touchedNames(HeaderOp op, const QJsonObject &settings)
{
    QList<std::pair<QString, QString>> out;
    for (const QString &side : {QStringLiteral("request"), QStringLiteral("response")}) {
        const QJsonArray list = settings.value(side).toArray();
        for (qsizetype i = 0; i < list.size(); ++i) {
            const QString at = QStringLiteral("settings.%1[%2]").arg(side).arg(i);
            if (op == HeaderOp::Remove) {
                out.append({at, list.at(i).toString()});
            } else if (op == HeaderOp::Set) {
                out.append({at + QStringLiteral(".name"), list.at(i)[u"name"].toString()});
            } else {
                out.append({at + QStringLiteral(".from"), list.at(i)[u"from"].toString()});
                out.append({at + QStringLiteral(".to"), list.at(i)[u"to"].toString()});
            }
        }
    }
    return out;
}

void checkCommon(HeaderOp op, const QJsonObject &settings, QStringList &problems)
{
    if (settings.value(u"request").toArray().isEmpty() && settings.value(u"response").toArray().isEmpty())
        problems.append(QStringLiteral("settings: list at least one header under 'request' or 'response'"));
    for (const auto &[path, name] : touchedNames(op, settings)) {
        if (isManagedHeader(name.toLatin1()))
            problems.append(QStringLiteral("%1: '%2' is managed by the gateway and cannot be changed by a policy")
                                .arg(path, name));
    }
    if (op != HeaderOp::Set)
        return;
    for (const QString &side : {QStringLiteral("request"), QStringLiteral("response")}) {
        const QJsonArray list = settings.value(side).toArray();
        for (qsizetype i = 0; i < list.size(); ++i) {
            ValueTemplate t;
            QString error;
            if (!t.parse(list.at(i)[u"value"].toString(), &error))
                problems.append(QStringLiteral("settings.%1[%2].value: %3").arg(side).arg(i).arg(error));
        }
    }
}

QList<HeaderEdit> edits(HeaderOp op, const QJsonArray &list)
{
    QList<HeaderEdit> out;
    for (const QJsonValue &v : list) {
        HeaderEdit e;
        if (op == HeaderOp::Remove) {
            e.name = v.toString().toLatin1();
        } else if (op == HeaderOp::Set) {
            e.name = v[u"name"].toString().toLatin1();
            QString error;
            e.value.parse(v[u"value"].toString(), &error);   // checked by checkCommon()
        } else {
            e.name = v[u"from"].toString().toLatin1();
            e.to = v[u"to"].toString().toLatin1();
        }
        out.append(std::move(e));
    }
    return out;
}

template<HeaderOp Op>
void check(const QJsonObject &settings, QStringList &problems)
{
    checkCommon(Op, settings, problems);
}

template<HeaderOp Op>
std::shared_ptr<const Filter> build(const PolicyBuildContext &ctx)
{
    return std::make_shared<const HeaderEditFilter>(Op, edits(Op, ctx.settings.value(u"request").toArray()),
                                                    edits(Op, ctx.settings.value(u"response").toArray()));
}

PolicyDescriptor descriptor(const QString &name, const QString &description, const SettingSchema &settings)
{
    PolicyDescriptor d;
    d.name = name;
    d.version = QStringLiteral("1.0");
    d.description = description;
    d.priority = 800;
    d.requestPhase = true;
    d.responsePhase = true;
    d.settings = settings;
    return d;
}

bool equalsLower(QByteArrayView a, QByteArrayView b)
{
    return httpEqualsIgnoreCase(a, b);
}

} // namespace

bool isHeaderName(QByteArrayView name)
{
    // RFC 9110 §5.6.2 tchar, as a table: interceptors check every name they set.
    static constexpr auto kToken = [] {
        std::array<bool, 256> t{};
        for (int c = '0'; c <= '9'; ++c)
            t[size_t(c)] = true;
        for (int c = 'a'; c <= 'z'; ++c)
            t[size_t(c)] = t[size_t(c - 'a' + 'A')] = true;
        for (char c : std::string_view("!#$%&'*+-.^_`|~"))
            t[size_t(static_cast<unsigned char>(c))] = true;
        return t;
    }();
    if (name.isEmpty())
        return false;
    for (char c : name) {
        if (!kToken[static_cast<unsigned char>(c)])
            return false;
    }
    return true;
}

bool isHeaderValue(QByteArrayView value)
{
    for (char c : value) {
        const auto u = static_cast<unsigned char>(c);
        if ((u < 0x20 && c != '\t') || u == 0x7f)
            return false;
    }
    return true;
}

bool isManagedHeader(QByteArrayView name)
{
    // By length first: interceptors check every name they set, and most differ from all here.
    // (Bit 0x20 lower-cases a letter and leaves ':' as it is; the first byte rules most out.)
    const auto is = [name](QByteArrayView managed) {
        return managed.front() == char(name.front() | 0x20) && equalsLower(name, managed);
    };
    switch (name.size()) {
    case 2: return is("te");
    case 4: return is("host");
    case 5: return is(":path");
    case 7: return is("upgrade") || is("trailer") || is(":method") || is(":scheme") || is(":status");
    case 10: return is("connection") || is("keep-alive") || is(":authority");
    case 14: return is("content-length");
    case 16: return is("proxy-connection");
    case 17: return is("transfer-encoding");
    default: return false;
    }
}

// A field value has no leading or trailing whitespace (RFC 9110 §5.5); a substitution that came
// out empty ("${route.operationId}" without one) must not leave a space the writer refuses.
static QByteArray fieldValue(QByteArrayView value)
{
    while (!value.isEmpty() && (value.front() == ' ' || value.front() == '\t'))
        value = value.sliced(1);
    while (!value.isEmpty() && (value.back() == ' ' || value.back() == '\t'))
        value.chop(1);
    return EditBuffers::copy(value);
}

namespace {

// Drops `name` (any case) from the fields policies added and lists it once among the removed
// ones, as it was written. `owned` is `name` as a QByteArray when the caller has one: the list
// then shares its bytes.
void removeField(QList<OwnedField> &added, QList<QByteArray> &removed, QByteArrayView name, const QByteArray *owned)
{
    if (!RequestContext::namedIn(removed, name))
        removed.append(owned ? *owned : EditBuffers::copy(name));
    if (!added.isEmpty())
        added.removeIf([&](const OwnedField &f) { return equalsLower(f.name, name); });
}

} // namespace

// A set takes two buffers (the name, shared with the removal list, and the value), a removal one:
// interceptors make them per request, so they are those of earlier requests (pipeline/editbuffers.h).
void setUpstreamHeader(RequestContext &ctx, QByteArrayView name, QByteArrayView value)
{
    QByteArray owned = EditBuffers::copy(name);
    removeField(ctx.upstreamHeaders, ctx.removeUpstreamHeaders, name, &owned);
    ctx.upstreamHeaders.append({std::move(owned), fieldValue(value)});
}

void removeUpstreamHeader(RequestContext &ctx, QByteArrayView name)
{
    removeField(ctx.upstreamHeaders, ctx.removeUpstreamHeaders, name, nullptr);
}

void setResponseHeader(RequestContext &ctx, QByteArrayView name, QByteArrayView value)
{
    QByteArray owned = EditBuffers::copy(name);
    removeField(ctx.responseHeaders, ctx.removeResponseHeaders, name, &owned);
    ctx.responseHeaders.append({std::move(owned), fieldValue(value)});
}

void removeResponseHeader(RequestContext &ctx, QByteArrayView name)
{
    removeField(ctx.responseHeaders, ctx.removeResponseHeaders, name, nullptr);
}

QByteArray currentUpstreamHeader(const RequestContext &ctx, QByteArrayView name)
{
    for (const OwnedField &f : ctx.upstreamHeaders) {
        if (equalsLower(f.name, name))
            return f.value;
    }
    for (const QByteArray &removed : ctx.removeUpstreamHeaders) {
        if (equalsLower(removed, name))
            return {};
    }
    const QByteArrayView v = ctx.header(name);
    return v.isNull() ? QByteArray() : (v.isEmpty() ? QByteArray("", 0) : v.toByteArray());
}

QByteArray currentResponseHeader(const RequestContext &ctx, QByteArrayView name)
{
    for (const OwnedField &f : ctx.responseHeaders) {
        if (equalsLower(f.name, name))
            return f.value;
    }
    for (const QByteArray &removed : ctx.removeResponseHeaders) {
        if (equalsLower(removed, name))
            return {};
    }
    const QByteArrayView v = ctx.upstreamResponseHeaders ? ctx.upstreamResponseHeaders->value(name) : QByteArrayView();
    return v.isNull() ? QByteArray() : (v.isEmpty() ? QByteArray("", 0) : v.toByteArray());
}

PolicyDescriptor setHeadersPolicy()
{
    const SettingSchema item = SettingSchema::object({
        {QStringLiteral("name"), headerName(QStringLiteral("The header's name"))},
        {QStringLiteral("value"), SettingSchema::text(QStringLiteral("The value; may use ${...} substitutions"))
                                      .withPattern(QStringLiteral("[^\\r\\n\\x00]*"), QStringLiteral("a single-line value"))
                                      .asRequired()},
    });
    PolicyDescriptor d = descriptor(
        QStringLiteral("set-headers"),
        QStringLiteral("Sets headers on the request sent upstream and on the response the client gets, "
                       "replacing any field of the same name."),
        bothWays(item, QStringLiteral("Headers set on the request sent upstream"),
                 QStringLiteral("Headers set on the response to the client")));
    d.notes = ValueTemplate::variablesHelp();
    d.check = &check<HeaderOp::Set>;
    d.build = &build<HeaderOp::Set>;
    return d;
}

PolicyDescriptor removeHeadersPolicy()
{
    PolicyDescriptor d = descriptor(
        QStringLiteral("remove-headers"),
        QStringLiteral("Removes headers (every field of each name, any case) from the request sent "
                       "upstream and from the response the client gets."),
        bothWays(headerName(QStringLiteral("A header name")), QStringLiteral("Names removed from the request sent upstream"),
                 QStringLiteral("Names removed from the response to the client")));
    d.check = &check<HeaderOp::Remove>;
    d.build = &build<HeaderOp::Remove>;
    return d;
}

PolicyDescriptor renameHeadersPolicy()
{
    const SettingSchema item = SettingSchema::object({
        {QStringLiteral("from"), headerName(QStringLiteral("The name as received"))},
        {QStringLiteral("to"), headerName(QStringLiteral("The name to forward it under"))},
    });
    PolicyDescriptor d = descriptor(
        QStringLiteral("rename-headers"),
        QStringLiteral("Renames headers of the request sent upstream and of the response the client "
                       "gets, keeping the (first) value; an absent header is left absent."),
        bothWays(item, QStringLiteral("Renames on the request sent upstream"),
                 QStringLiteral("Renames on the response to the client")));
    d.check = &check<HeaderOp::Rename>;
    d.build = &build<HeaderOp::Rename>;
    return d;
}

} // namespace Gatehouse
