// A route's ordered filters, and the runner that walks them for one request (with suspension).
#pragma once

#include "filter.h"

#include "http/http1head.h"

#include <memory>
#include <vector>

namespace Gatehouse {

struct RequestContext;

class FilterChain
{
public:
    explicit FilterChain(std::vector<std::shared_ptr<const Filter>> filters);
    const std::vector<std::shared_ptr<const Filter>> &filters() const { return m_filters; }
    bool isEmpty() const { return m_filters.empty(); }
    // Bytes of the request / response body the exchange buffers for the filters' body hooks
    // (Filter::requestBodyLimit()); 0: the body streams and no body hook runs.
    qint64 requestBodyLimit() const { return m_requestBodyLimit; }
    qint64 responseBodyLimit() const { return m_responseBodyLimit; }
    // Every filter reading response bodies only copies them (Filter::responseBodyOptional()):
    // a response over the limit streams instead of being refused.
    bool responseBodyOptional() const { return m_responseBodyOptional; }
    // Some filter answers an upstream 304 itself (Filter::readsNotModified()).
    bool readsNotModified() const { return m_readsNotModified; }

private:
    std::vector<std::shared_ptr<const Filter>> m_filters;
    qint64 m_requestBodyLimit = 0;
    qint64 m_responseBodyLimit = 0;
    bool m_responseBodyOptional = true;
    bool m_readsNotModified = false;
};

// Walks a chain for one request. Lives in the client connection; no allocation per request.
class FilterChainRun
{
public:
    // Starts at the first filter. Returns Continue when every filter passed, Respond when one
    // answered (ctx.error), Suspend when one waits (the host's resumeFilterChain() follows).
    FilterStatus start(const FilterChain *chain, RequestContext &ctx);
    // After a suspension: `status` is what the suspended filter decided; rerun runs it again.
    FilterStatus resume(RequestContext &ctx, bool rerun, FilterStatus status);
    // The upstream's response head: onResponseHead() of the filters that ran, last first; they
    // read `fields` through ctx.upstreamResponseHeaders.
    void responseHead(RequestContext &ctx, int status, const Http1FieldList &fields);
    // The buffered request body (chain->requestBodyLimit() > 0, after start()/resume() returned
    // Continue): onRequestBody() of the filters that ran, in order. Continue or Respond.
    FilterStatus requestBody(RequestContext &ctx, QByteArray &body);
    // The buffered response body (chain->responseBodyLimit() > 0), after responseHead():
    // onResponseBody() of the filters that ran, last first; they read `fields` through
    // ctx.upstreamResponseHeaders. Continue or Respond (the client gets ctx.error).
    FilterStatus responseBody(RequestContext &ctx, int status, const Http1FieldList &fields, QByteArray &body);
    // The chain this run walks (nullptr before start() and after complete()).
    const FilterChain *chain() const { return m_chain; }
    // The exchange is over: onComplete() for every filter that ran, once. Safe to call twice.
    void complete(RequestContext &ctx);
    bool isSuspended() const { return m_suspended; }

private:
    FilterStatus runFrom(RequestContext &ctx);

    const FilterChain *m_chain = nullptr;
    int m_next = 0;        // index of the filter to run (the suspended one while suspended)
    int m_ran = 0;         // filters whose onRequest() was entered
    bool m_suspended = false;
    int m_filterSpan = -1;   // trace span of the filter at m_next (-1: not sampled)
};

} // namespace Gatehouse
