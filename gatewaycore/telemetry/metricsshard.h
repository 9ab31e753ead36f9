// The metrics one data-plane worker records: owned and written by that worker's thread only,
// read by the scraping thread (MetricsRegistry::collect). No lock and no shared cache line is
// touched per request.
#pragma once

#include "histogramtable.h"

#include "http/http1types.h"
#include "pipeline/filter.h"
#include "proxy/errorresponse.h"

#include <array>
#include <vector>

#include <time.h>

namespace Gatehouse {

struct GatewayConfig;
struct Route;
class MetricsRegistry;

// Why a request was refused by authentication or authorization (from its GatewayErrorCode).
enum class AuthFailureReason { MissingCredentials = 0, InvalidCredentials, Forbidden, InsufficientScope, Unavailable };
inline constexpr int kAuthFailureReasonCount = int(AuthFailureReason::Unavailable) + 1;
// The level whose limit a 429 enforced, in the order of the metric's series (rate limiting's own
// RateLimitLevel, policies/ratelimit/ratelimitservice.h, orders them differently).
enum class RateLimitMetricLevel { Api = 0, Resource, Application, Subscription, Client };
inline constexpr int kRateLimitMetricLevels = int(RateLimitMetricLevel::Client) + 1;
// UpstreamFailure, one cell each (UpstreamFailure starts at 1).
inline constexpr int kUpstreamFailureKinds = 5;

// CLOCK_MONOTONIC in ns: what request durations are measured with (a vDSO call, ~20 ns).
inline qint64 monotonicNs()
{
    timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return qint64(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

namespace MetricBounds {
// http.server/client.request.duration: OpenTelemetry's advice, below 5 ms refined for a gateway.
extern const std::array<qint64, 17> kRequestNs;
// Per-phase time: from 10 µs.
extern const std::array<qint64, 19> kPhaseNs;
} // namespace MetricBounds

class MetricsShard
{
public:
    MetricsShard(MetricsRegistry *registry, int index);

    int index() const { return m_index; }

    // --- Owner (worker) thread ---
    // Interns the label sets of `config`'s routes, so requests on it look theirs up by route id.
    // Takes the registry's lock: call when a config is applied, not per request.
    void bind(const GatewayConfig &config);
    // The server series labels of a routed request (a lookup when `config` is the bound one).
    quint32 routeLabels(const GatewayConfig &config, const Route &route);
    // The labels of a request that matched no route: its method, no route, no API.
    quint32 unroutedLabels(HttpMethod method) const { return m_unrouted[size_t(method)]; }

    void observeServer(quint32 labels, int status, qint64 ns) { m_server.observe(serverKey(labels, status), ns); }
    void observeClient(int endpointId, HttpMethod method, int status, qint64 ns)
    {
        m_client.observe(clientKey(endpointId, method, status), ns);
    }
    void observePhase(Phase phase, qint64 ns)
    {
        auto &cells = m_phases[size_t(phase)];
        ownerAdd(cells[size_t(m_phaseBuckets.index(ns))]);
        ownerAdd(cells[MetricBounds::kPhaseNs.size() + 1], quint64(ns > 0 ? ns : 0));
    }
    // A policy answered the request: authentication and rate-limit refusals are counted by the
    // reason or level their error code names; other answers are not counted here.
    void countRefusal(GatewayErrorCode code);
    void countAuthFailure(AuthFailureReason reason) { ownerAdd(m_authFailures[size_t(reason)]); }
    void countRateLimited(RateLimitMetricLevel level) { ownerAdd(m_rateLimited[size_t(level)]); }
    void countUpstreamFailure(int kind) { ownerAdd(m_upstreamFailures[size_t(kind - 1)]); }
    void countAborted() { ownerAdd(m_aborted); }
    void countAccepted() { ownerAdd(m_accepted); }
    // Requests between their head and their end (a gauge: the owner adds 1, then subtracts 1).
    void requestStarted() { ownerAdd(m_activeRequests); }
    void requestEnded() { ownerAdd(m_activeRequests, quint64(-1)); }

    // --- Readers (any thread) ---
    // Keys: server = labels << 10 | status; client = endpoint << 14 | method << 10 | status.
    static constexpr quint32 kOverflowKey = 0xffffffffu;
    static constexpr int kMaxEndpointKeys = 4096;
    static quint32 serverKey(quint32 labels, int status) { return (labels << 10) | quint32(status & 0x3ff); }
    static quint32 clientKey(int endpointId, HttpMethod method, int status)
    {
        if (endpointId < 0 || endpointId >= kMaxEndpointKeys)
            return kOverflowKey;
        return (quint32(endpointId) << 14) | (quint32(method) << 10) | quint32(status & 0x3ff);
    }
    const HistogramTable &server() const { return m_server; }
    const HistogramTable &client() const { return m_client; }
    // Per bucket (not cumulative), then the sum in ns.
    using PhaseCells = std::array<std::atomic<quint64>, MetricBounds::kPhaseNs.size() + 2>;
    const std::array<PhaseCells, kPhaseCount> &phases() const { return m_phases; }
    quint64 authFailures(AuthFailureReason r) const { return m_authFailures[size_t(r)].load(std::memory_order_relaxed); }
    quint64 rateLimited(RateLimitMetricLevel l) const { return m_rateLimited[size_t(l)].load(std::memory_order_relaxed); }
    quint64 upstreamFailures(int kind) const { return m_upstreamFailures[size_t(kind - 1)].load(std::memory_order_relaxed); }
    quint64 aborted() const { return m_aborted.load(std::memory_order_relaxed); }
    quint64 accepted() const { return m_accepted.load(std::memory_order_relaxed); }
    qint64 activeRequests() const { return qint64(m_activeRequests.load(std::memory_order_relaxed)); }

private:
    MetricsRegistry *m_registry;
    int m_index;
    HistogramTable m_server;
    HistogramTable m_client;
    BucketBounds m_phaseBuckets;
    std::array<PhaseCells, kPhaseCount> m_phases{};
    std::array<std::atomic<quint64>, kAuthFailureReasonCount> m_authFailures{};
    std::array<std::atomic<quint64>, kRateLimitMetricLevels> m_rateLimited{};
    std::array<std::atomic<quint64>, kUpstreamFailureKinds> m_upstreamFailures{};
    std::atomic<quint64> m_aborted{0};
    std::atomic<quint64> m_accepted{0};
    std::atomic<quint64> m_activeRequests{0};
    // Owner thread only.
    const GatewayConfig *m_bound = nullptr;
    std::vector<quint32> m_routeLabels;   // by route id, for m_bound
    std::array<quint32, size_t(HttpMethod::Other) + 1> m_unrouted{};
};

} // namespace Gatehouse
