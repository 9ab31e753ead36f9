// The header policies: set-headers, remove-headers and rename-headers, on the request sent
// upstream and on the response the client gets.
#pragma once

#include <QByteArray>
#include <QByteArrayView>

namespace Gatehouse {

struct PolicyDescriptor;
struct RequestContext;

PolicyDescriptor setHeadersPolicy();
PolicyDescriptor removeHeadersPolicy();
PolicyDescriptor renameHeadersPolicy();

// Edits shared by every policy (Lua too). A removal also drops what earlier policies added.
void setUpstreamHeader(RequestContext &ctx, QByteArrayView name, QByteArrayView value);
void removeUpstreamHeader(RequestContext &ctx, QByteArrayView name);
void setResponseHeader(RequestContext &ctx, QByteArrayView name, QByteArrayView value);
void removeResponseHeader(RequestContext &ctx, QByteArrayView name);
// The value the upstream will see / the client will see after the edits so far (null: absent).
QByteArray currentUpstreamHeader(const RequestContext &ctx, QByteArrayView name);
QByteArray currentResponseHeader(const RequestContext &ctx, QByteArrayView name);

// Header names a policy may not touch: framing and connection management belong to the gateway.
bool isManagedHeader(QByteArrayView name);
bool isHeaderName(QByteArrayView name);
bool isHeaderValue(QByteArrayView value);

} // namespace Gatehouse
