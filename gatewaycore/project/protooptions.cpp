// Reads gateway options of gRPC services and methods: (gatehouse.*), MGW's (wso2.*), google.api.http.
#include "protooptions.h"

#include "protosourcetree.h"

#include <QRegularExpression>
#include <QUrl>

#include <google/protobuf/descriptor.pb.h>

namespace Gatehouse {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::FileDescriptor;
using google::protobuf::Message;
using google::protobuf::MethodDescriptor;
using google::protobuf::Reflection;
using google::protobuf::ServiceDescriptor;

namespace {

// Paths into descriptor.proto, for SourceCodeInfo lookups.
constexpr int kFileServiceField = 6;      // FileDescriptorProto.service
constexpr int kServiceMethodField = 2;    // ServiceDescriptorProto.method
constexpr int kServiceOptionsField = 3;   // ServiceDescriptorProto.options
constexpr int kMethodOptionsField = 4;    // MethodDescriptorProto.options

QString optionString(const std::string &s)
{
    return QString::fromUtf8(s.data(), qsizetype(s.size()));
}

// Reflection aborts on a type mismatch, and option files can be overridden at run time, so every
// field is looked up by name and checked before it is read.
const FieldDescriptor *fieldOf(const Message &message, const char *name,
                               FieldDescriptor::CppType type)
{
    const FieldDescriptor *field = message.GetDescriptor()->FindFieldByName(name);
    return field && field->cpp_type() == type ? field : nullptr;
}

bool isSet(const Message &message, const FieldDescriptor *field)
{
    if (!field)
        return false;
    const Reflection *reflection = message.GetReflection();
    return field->is_repeated() ? reflection->FieldSize(message, field) > 0
                                : reflection->HasField(message, field);
}

QStringList stringsOf(const Message &message, const char *name)
{
    QStringList out;
    const FieldDescriptor *field = fieldOf(message, name, FieldDescriptor::CPPTYPE_STRING);
    if (!field)
        return out;
    const Reflection *reflection = message.GetReflection();
    if (field->is_repeated()) {
        for (int i = 0; i < reflection->FieldSize(message, field); ++i)
            out << optionString(reflection->GetRepeatedString(message, field, i));
    } else if (reflection->HasField(message, field)) {
        out << optionString(reflection->GetString(message, field));
    }
    return out;
}

QString stringOf(const Message &message, const char *name)
{
    const QStringList values = stringsOf(message, name);
    return values.isEmpty() ? QString() : values.constLast();
}

const Message *subMessage(const Message &message, const FieldDescriptor *field,
                          google::protobuf::MessageFactory *factory)
{
    if (!field || field->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE || field->is_repeated()
        || field->containing_type() != message.GetDescriptor()
        || !message.GetReflection()->HasField(message, field))
        return nullptr;
    return &message.GetReflection()->GetMessage(message, field, factory);
}

QStringList splitScopes(const QString &text, const QRegularExpression &separator)
{
    QStringList scopes;
    for (const QString &scope : text.split(separator, Qt::SkipEmptyParts)) {
        if (!scopes.contains(scope))
            scopes << scope;
    }
    return scopes;
}

const QRegularExpression &whitespace()
{
    static const QRegularExpression re(QStringLiteral("\\s+"));
    return re;
}

const QRegularExpression &commasOrWhitespace()
{
    static const QRegularExpression re(QStringLiteral("[,\\s]+"));
    return re;
}

} // namespace

ProtoOptionReader::ProtoOptionReader(const google::protobuf::DescriptorPool &pool,
                                     const ProtoErrorCollector &locator, Diagnostics &diagnostics)
    : m_pool(pool), m_locator(locator), m_diagnostics(diagnostics), m_factory(&pool)
{}

ProtoOptionReader::~ProtoOptionReader() = default;

SourceLocation ProtoOptionReader::locate(const FileDescriptor &file, const std::vector<int> &path,
                                         const SourceLocation &fallback)
{
    auto &info = m_sourceInfo[&file];
    if (!info) {
        google::protobuf::FileDescriptorProto proto;
        file.CopySourceCodeInfoTo(&proto);
        info = std::make_unique<google::protobuf::SourceCodeInfo>(proto.source_code_info());
    }
    for (const auto &location : info->location()) {
        if (location.path_size() < int(path.size()) || location.span_size() < 2)
            continue;
        if (std::equal(path.begin(), path.end(), location.path().begin()))
            return m_locator.location(file.name(), location.span(0), location.span(1));
    }
    return fallback;
}

std::unique_ptr<Message> ProtoOptionReader::reparse(const Message &options, const char *typeName)
{
    if (options.ByteSizeLong() == 0)
        return nullptr;
    const Descriptor *type = m_pool.FindMessageTypeByName(typeName);
    const Message *prototype = type ? m_factory.GetPrototype(type) : nullptr;
    if (!prototype)
        return nullptr;
    std::unique_ptr<Message> message(prototype->New());
    if (!message->ParseFromString(options.SerializeAsString()))
        return nullptr;
    return message;
}

QStringList ProtoOptionReader::readSecurity(const Message &message, const FieldDescriptor *field,
                                            const QString &what, const SourceLocation &where)
{
    QStringList schemes;
    if (!field || field->cpp_type() != FieldDescriptor::CPPTYPE_ENUM)
        return schemes;
    const Reflection *reflection = message.GetReflection();
    const int count = field->is_repeated() ? reflection->FieldSize(message, field) : 1;
    for (int i = 0; i < count; ++i) {
        const int number = field->is_repeated() ? reflection->GetRepeatedEnumValue(message, field, i)
                                                : reflection->GetEnumValue(message, field);
        const auto *value = field->enum_type()->FindValueByNumber(number);
        if (!value) {
            m_diagnostics.error(where, QStringLiteral("%1: unknown security scheme number %2")
                                           .arg(what).arg(number));
            continue;
        }
        const QString name = optionString(value->name()).toLower();
        if (name.endsWith(QStringLiteral("_unspecified"))) {
            m_diagnostics.error(where, QStringLiteral("%1: %2 is not a security scheme; use NONE, "
                                                      "JWT, OAUTH2, APIKEY or BASIC")
                                           .arg(what, optionString(value->name())));
            continue;
        }
        if (!schemes.contains(name))
            schemes << name;
    }
    return schemes;
}

EndpointSet ProtoOptionReader::readEndpoints(const Message &endpoints, const char *urlsField,
                                             const QString &what, const SourceLocation &where)
{
    EndpointSet set;
    set.location = where;
    const QStringList urls = stringsOf(endpoints, urlsField);
    for (const QString &text : urls) {
        const QUrl url(text.trimmed(), QUrl::StrictMode);
        const QString scheme = url.scheme();
        if (!url.isValid() || url.host().isEmpty()
            || (scheme != u"http" && scheme != u"https")) {
            m_diagnostics.error(where, QStringLiteral("%1: endpoint URL \"%2\" is not usable; write "
                                                      "http://host:port or https://host:port")
                                           .arg(what, text));
            continue;
        }
        set.urls << url;
    }
    if (urls.isEmpty())
        m_diagnostics.warning(where, QStringLiteral("%1 lists no URL").arg(what));

    if (const FieldDescriptor *type = fieldOf(endpoints, "type", FieldDescriptor::CPPTYPE_ENUM)) {
        const int number = endpoints.GetReflection()->GetEnumValue(endpoints, type);
        const auto *value = type->enum_type()->FindValueByNumber(number);
        const std::string name = value ? value->name() : std::string();
        if (name == "LOAD_BALANCE")
            set.strategy = EndpointStrategy::LoadBalance;
        else if (name == "FAILOVER")
            set.strategy = EndpointStrategy::Failover;
        else
            set.strategy = set.urls.size() > 1 ? EndpointStrategy::LoadBalance
                                               : EndpointStrategy::Single;
    }
    if (const FieldDescriptor *timeout =
            fieldOf(endpoints, "timeout_ms", FieldDescriptor::CPPTYPE_UINT32)) {
        const quint32 ms = endpoints.GetReflection()->GetUInt32(endpoints, timeout);
        if (ms > 0)
            set.timeout = std::chrono::milliseconds(ms);
    }
    return set;
}

void ProtoOptionReader::readService(const ServiceDescriptor &descriptor, GrpcService &service)
{
    const std::unique_ptr<Message> options = reparse(descriptor.options(),
                                                     "google.protobuf.ServiceOptions");
    if (!options)
        return;
    const FileDescriptor &file = *descriptor.file();
    const std::vector<int> base{kFileServiceField, descriptor.index(), kServiceOptionsField};
    auto where = [&](const FieldDescriptor *extension) {
        std::vector<int> path = base;
        path.push_back(extension->number());
        return locate(file, path, service.location);
    };
    auto extension = [&](const char *name) -> const FieldDescriptor * {
        const FieldDescriptor *ext = m_pool.FindExtensionByName(name);
        return ext && ext->containing_type() == options->GetDescriptor() ? ext : nullptr;
    };
    const QString name = service.fullName;
    // Warns about a wso2 option that the gatehouse option overrides.
    auto overridden = [&](const FieldDescriptor *wso2, const char *ours) {
        m_diagnostics.warning(where(wso2),
                              QStringLiteral("%1: both (gatehouse.service).%2 and (%3) are set; "
                                             "the gatehouse option wins")
                                  .arg(name, QLatin1String(ours), optionString(wso2->full_name())));
    };

    const FieldDescriptor *oursExt = extension("gatehouse.service");
    const Message *ours = subMessage(*options, oursExt, &m_factory);
    const SourceLocation oursWhere = ours ? where(oursExt) : SourceLocation();

    const FieldDescriptor *wso2Security = extension("wso2.security");
    const FieldDescriptor *wso2Tier = extension("wso2.throttling_tier");
    const FieldDescriptor *wso2Production = extension("wso2.production_endpoints");
    const FieldDescriptor *wso2Sandbox = extension("wso2.sandbox_endpoints");

    // Security.
    const FieldDescriptor *oursSecurity =
        ours ? fieldOf(*ours, "security", FieldDescriptor::CPPTYPE_ENUM) : nullptr;
    if (ours && isSet(*ours, oursSecurity)) {
        service.security = readSecurity(*ours, oursSecurity, name, oursWhere);
        service.securityLocation = oursWhere;
        if (isSet(*options, wso2Security))
            overridden(wso2Security, "security");
    } else if (isSet(*options, wso2Security)) {
        service.securityLocation = where(wso2Security);
        service.security = readSecurity(*options, wso2Security, name, service.securityLocation);
    }

    // Throttling tier.
    const QString oursTier = ours ? stringOf(*ours, "throttling_tier").trimmed() : QString();
    const bool wso2TierSet = wso2Tier && wso2Tier->cpp_type() == FieldDescriptor::CPPTYPE_STRING
                             && !wso2Tier->is_repeated() && isSet(*options, wso2Tier);
    if (!oursTier.isEmpty()) {
        service.throttlingTier = oursTier;
        service.throttlingTierLocation = oursWhere;
        if (wso2TierSet)
            overridden(wso2Tier, "throttling_tier");
    } else if (wso2TierSet) {
        service.throttlingTier =
            optionString(options->GetReflection()->GetString(*options, wso2Tier)).trimmed();
        service.throttlingTierLocation = where(wso2Tier);
    }

    // Endpoints, production and sandbox.
    auto endpoints = [&](const char *oursField, const FieldDescriptor *wso2, EndpointSet &out) {
        const FieldDescriptor *field =
            ours ? ours->GetDescriptor()->FindFieldByName(oursField) : nullptr;
        if (const Message *set = ours ? subMessage(*ours, field, &m_factory) : nullptr) {
            out = readEndpoints(*set, "urls",
                                QStringLiteral("%1: (gatehouse.service).%2")
                                    .arg(name, QLatin1String(oursField)),
                                oursWhere);
            if (subMessage(*options, wso2, &m_factory))
                overridden(wso2, oursField);
        } else if (const Message *wso2Set = subMessage(*options, wso2, &m_factory)) {
            out = readEndpoints(*wso2Set, "url",
                                QStringLiteral("%1: (%2)").arg(name, optionString(wso2->full_name())),
                                where(wso2));
        }
    };
    endpoints("endpoints", wso2Production, service.endpoints);
    endpoints("sandbox_endpoints", wso2Sandbox, service.sandboxEndpoints);
}

void ProtoOptionReader::readMethod(const MethodDescriptor &descriptor, GrpcMethod &method)
{
    const std::unique_ptr<Message> options = reparse(descriptor.options(),
                                                     "google.protobuf.MethodOptions");
    if (!options)
        return;
    const FileDescriptor &file = *descriptor.service()->file();
    const std::vector<int> base{kFileServiceField, descriptor.service()->index(),
                                kServiceMethodField, descriptor.index(), kMethodOptionsField};
    auto where = [&](const FieldDescriptor *extension) {
        std::vector<int> path = base;
        path.push_back(extension->number());
        return locate(file, path, method.location);
    };
    auto extension = [&](const char *name) -> const FieldDescriptor * {
        const FieldDescriptor *ext = m_pool.FindExtensionByName(name);
        return ext && ext->containing_type() == options->GetDescriptor() ? ext : nullptr;
    };
    auto wso2String = [&](const FieldDescriptor *ext) -> std::optional<QString> {
        if (!ext || ext->cpp_type() != FieldDescriptor::CPPTYPE_STRING || ext->is_repeated()
            || !isSet(*options, ext))
            return std::nullopt;
        return optionString(options->GetReflection()->GetString(*options, ext));
    };
    const QString name = optionString(descriptor.full_name());
    auto overridden = [&](const FieldDescriptor *wso2, const char *ours) {
        m_diagnostics.warning(where(wso2),
                              QStringLiteral("%1: both (gatehouse.method).%2 and (%3) are set; "
                                             "the gatehouse option wins")
                                  .arg(name, QLatin1String(ours), optionString(wso2->full_name())));
    };

    const FieldDescriptor *oursExt = extension("gatehouse.method");
    const Message *ours = subMessage(*options, oursExt, &m_factory);
    const SourceLocation oursWhere = ours ? where(oursExt) : SourceLocation();
    const FieldDescriptor *wso2ScopesExt = extension("wso2.method_scopes");
    const FieldDescriptor *wso2TierExt = extension("wso2.method_throttling_tier");
    const std::optional<QString> wso2Scopes = wso2String(wso2ScopesExt);
    const std::optional<QString> wso2Tier = wso2String(wso2TierExt);

    QStringList oursScopes;
    if (ours) {
        for (const QString &entry : stringsOf(*ours, "scopes"))
            oursScopes << splitScopes(entry, whitespace());
        oursScopes.removeDuplicates();
    }
    if (!oursScopes.isEmpty()) {
        method.scopes = oursScopes;
        method.scopesLocation = oursWhere;
        if (wso2Scopes)
            overridden(wso2ScopesExt, "scopes");
    } else if (wso2Scopes) {
        // MGW wrote several scopes as one comma-separated string: "scope1, scope2".
        method.scopes = splitScopes(*wso2Scopes, commasOrWhitespace());
        method.scopesLocation = where(wso2ScopesExt);
    }

    const QString oursTier = ours ? stringOf(*ours, "throttling_tier").trimmed() : QString();
    if (!oursTier.isEmpty()) {
        method.throttlingTier = oursTier;
        method.throttlingTierLocation = oursWhere;
        if (wso2Tier)
            overridden(wso2TierExt, "throttling_tier");
    } else if (wso2Tier) {
        method.throttlingTier = wso2Tier->trimmed();
        method.throttlingTierLocation = where(wso2TierExt);
    }

    const FieldDescriptor *httpExt = extension("google.api.http");
    if (const Message *rule = subMessage(*options, httpExt, &m_factory))
        method.httpRule = readHttpRule(*rule, true, name, where(httpExt));
}

std::optional<HttpRule> ProtoOptionReader::readHttpRule(const Message &message, bool topLevel,
                                                        const QString &methodName,
                                                        const SourceLocation &where)
{
    HttpRule rule;
    rule.location = where;
    for (const char *verb : {"get", "put", "post", "delete", "patch"}) {
        const FieldDescriptor *field = fieldOf(message, verb, FieldDescriptor::CPPTYPE_STRING);
        if (field && !field->is_repeated() && isSet(message, field)) {
            rule.method = QLatin1String(verb).toString().toUpper();
            rule.pathTemplate = optionString(message.GetReflection()->GetString(message, field));
        }
    }
    const FieldDescriptor *customField = message.GetDescriptor()->FindFieldByName("custom");
    if (const Message *custom = subMessage(message, customField, &m_factory)) {
        rule.method = stringOf(*custom, "kind");
        rule.pathTemplate = stringOf(*custom, "path");
        if (rule.method.isEmpty()) {
            m_diagnostics.error(where, QStringLiteral("%1: the custom google.api.http pattern "
                                                      "needs a kind (the HTTP method)")
                                           .arg(methodName));
            return std::nullopt;
        }
    }
    if (rule.method.isEmpty()) {
        m_diagnostics.warning(where, QStringLiteral("%1: the google.api.http rule sets no path "
                                                    "(get, put, post, delete, patch or custom); "
                                                    "it is ignored")
                                         .arg(methodName));
        return std::nullopt;
    }
    if (!rule.pathTemplate.startsWith(u'/')) {
        m_diagnostics.error(where, QStringLiteral("%1: the google.api.http path \"%2\" must start "
                                                  "with '/'")
                                       .arg(methodName, rule.pathTemplate));
        return std::nullopt;
    }
    rule.body = stringOf(message, "body");
    rule.responseBody = stringOf(message, "response_body");

    const FieldDescriptor *bindings = message.GetDescriptor()->FindFieldByName("additional_bindings");
    if (bindings && bindings->is_repeated()
        && bindings->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
        const Reflection *reflection = message.GetReflection();
        const int count = reflection->FieldSize(message, bindings);
        if (!topLevel && count > 0) {
            m_diagnostics.warning(where, QStringLiteral("%1: additional_bindings inside an "
                                                        "additional binding are not allowed; "
                                                        "they are ignored")
                                             .arg(methodName));
        } else {
            for (int i = 0; i < count; ++i) {
                const Message &binding = reflection->GetRepeatedMessage(message, bindings, i);
                if (auto extra = readHttpRule(binding, false, methodName, where))
                    rule.additionalBindings << *extra;
            }
        }
    }
    return rule;
}

} // namespace Gatehouse
