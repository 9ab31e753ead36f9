// Status mapping and names of codec errors, and the registry of methods the gateway accepts.
#include "http/http1types.h"

#include <cstring>
#include <string_view>

namespace Gatehouse {

int http1ErrorStatus(Http1Error error, Http1Role role)
{
    if (role == Http1Role::Response)
        return 502;
    switch (error) {
    case Http1Error::BodyTooLarge:
        return 413;
    case Http1Error::RequestLineTooLong:
        return 414;
    case Http1Error::HeaderSectionTooLarge:
    case Http1Error::TooManyHeaders:
        return 431;
    case Http1Error::UnknownMethod:
    case Http1Error::UnsupportedTransferCoding:
        return 501;
    case Http1Error::UnsupportedVersion:
        return 505;
    default:
        return 400;
    }
}

QByteArrayView http1ErrorName(Http1Error error)
{
    switch (error) {
    case Http1Error::InvalidStartLine: return "invalid-start-line";
    case Http1Error::InvalidMethod: return "invalid-method";
    case Http1Error::InvalidTarget: return "invalid-target";
    case Http1Error::InvalidVersion: return "invalid-version";
    case Http1Error::InvalidLineEnding: return "invalid-line-ending";
    case Http1Error::ObsoleteLineFolding: return "obsolete-line-folding";
    case Http1Error::InvalidHeaderName: return "invalid-header-name";
    case Http1Error::WhitespaceBeforeColon: return "whitespace-before-colon";
    case Http1Error::InvalidHeaderValue: return "invalid-header-value";
    case Http1Error::InvalidContentLength: return "invalid-content-length";
    case Http1Error::DuplicateContentLength: return "duplicate-content-length";
    case Http1Error::ContentLengthWithTransferEncoding: return "content-length-with-transfer-encoding";
    case Http1Error::InvalidTransferEncoding: return "invalid-transfer-encoding";
    case Http1Error::BodyNotAllowed: return "body-not-allowed";
    case Http1Error::MissingHost: return "missing-host";
    case Http1Error::DuplicateHost: return "duplicate-host";
    case Http1Error::InvalidHost: return "invalid-host";
    case Http1Error::InvalidChunkSize: return "invalid-chunk-size";
    case Http1Error::InvalidChunkExtension: return "invalid-chunk-extension";
    case Http1Error::InvalidChunkData: return "invalid-chunk-data";
    case Http1Error::InvalidStatusCode: return "invalid-status-code";
    case Http1Error::DataAfterClose: return "data-after-close";
    case Http1Error::IncompleteMessage: return "incomplete-message";
    case Http1Error::BodyTooLarge: return "body-too-large";
    case Http1Error::RequestLineTooLong: return "request-line-too-long";
    case Http1Error::HeaderSectionTooLarge: return "header-section-too-large";
    case Http1Error::TooManyHeaders: return "too-many-headers";
    case Http1Error::UnknownMethod: return "unknown-method";
    case Http1Error::UnsupportedTransferCoding: return "unsupported-transfer-coding";
    case Http1Error::UnsupportedVersion: return "unsupported-version";
    }
    return "unknown";
}

namespace {

struct MethodEntry
{
    std::string_view name;
    HttpMethod method;
};

// IANA HTTP Method Registry (PRI excluded: it only ever starts an HTTP/2 preface), plus PURGE,
// which caches in front of gateways send, and QUERY (safe method with content, IETF httpbis).
constexpr MethodEntry kMethods[] = {
    {"GET", HttpMethod::Get}, {"HEAD", HttpMethod::Head}, {"POST", HttpMethod::Post},
    {"PUT", HttpMethod::Put}, {"DELETE", HttpMethod::Delete}, {"CONNECT", HttpMethod::Connect},
    {"OPTIONS", HttpMethod::Options}, {"TRACE", HttpMethod::Trace}, {"PATCH", HttpMethod::Patch},
    {"ACL", HttpMethod::Other}, {"BASELINE-CONTROL", HttpMethod::Other},
    {"BIND", HttpMethod::Other}, {"CHECKIN", HttpMethod::Other}, {"CHECKOUT", HttpMethod::Other},
    {"COPY", HttpMethod::Other}, {"LABEL", HttpMethod::Other}, {"LINK", HttpMethod::Other},
    {"LOCK", HttpMethod::Other}, {"MERGE", HttpMethod::Other}, {"MKACTIVITY", HttpMethod::Other},
    {"MKCALENDAR", HttpMethod::Other}, {"MKCOL", HttpMethod::Other},
    {"MKREDIRECTREF", HttpMethod::Other}, {"MKWORKSPACE", HttpMethod::Other},
    {"MOVE", HttpMethod::Other}, {"ORDERPATCH", HttpMethod::Other},
    {"PROPFIND", HttpMethod::Other}, {"PROPPATCH", HttpMethod::Other},
    {"PURGE", HttpMethod::Other}, {"QUERY", HttpMethod::Other}, {"REBIND", HttpMethod::Other},
    {"REPORT", HttpMethod::Other}, {"SEARCH", HttpMethod::Other}, {"UNBIND", HttpMethod::Other},
    {"UNCHECKOUT", HttpMethod::Other}, {"UNLINK", HttpMethod::Other},
    {"UNLOCK", HttpMethod::Other}, {"UPDATE", HttpMethod::Other},
    {"UPDATEREDIRECTREF", HttpMethod::Other}, {"VERSION-CONTROL", HttpMethod::Other},
};

} // namespace

bool httpMethodIsKnown(QByteArrayView name, HttpMethod *method)
{
    // Linear over a short table; the common methods come first, so GET/POST cost one or two
    // length checks and a memcmp.
    for (const MethodEntry &entry : kMethods) {
        if (qsizetype(entry.name.size()) == name.size()
            && std::memcmp(entry.name.data(), name.data(), entry.name.size()) == 0) {
            if (method)
                *method = entry.method;
            return true;
        }
    }
    return false;
}

QByteArrayView httpMethodName(HttpMethod method)
{
    switch (method) {
    case HttpMethod::Get: return "GET";
    case HttpMethod::Head: return "HEAD";
    case HttpMethod::Post: return "POST";
    case HttpMethod::Put: return "PUT";
    case HttpMethod::Delete: return "DELETE";
    case HttpMethod::Connect: return "CONNECT";
    case HttpMethod::Options: return "OPTIONS";
    case HttpMethod::Trace: return "TRACE";
    case HttpMethod::Patch: return "PATCH";
    case HttpMethod::Other: break;
    }
    return {};
}

} // namespace Gatehouse
