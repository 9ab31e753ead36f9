// Gatehouse native interceptors, ABI version 1: the whole contract between gatehoused and a plugin
// (a shared library in the project's policies/ folder, attached as
// `{name: native, settings: {library: x.so, ...}}`). Header-only, no Qt, no library to link.
//
// Why a plain C entry point and not QPluginLoader: a plugin must not have to link the exact Qt
// gatehoused links (QPluginLoader refuses plugins built against another Qt minor version or build
// key), and gatehoused must be able to read a plugin's ABI version before it interprets any of its
// structures. So a plugin exports two C functions (GATEHOUSE_INTERCEPTOR_PLUGIN defines them):
//   std::uint32_t gatehouse_interceptor_abi_version();   // == gatehouse::kInterceptorAbiVersion
//   const gatehouse::InterceptorPlugin *gatehouse_interceptor_plugin();
// gatehoused loads the library with every symbol resolved up front (a missing one refuses it),
// calls the first, and only when it returns the ABI version gatehoused speaks does it call the
// second. Everything crossing the boundary is a plain struct of pointers and sizes or a class of
// pure virtual functions (the Itanium C++ ABI that GCC and Clang share on Linux); no std::string
// or std::string_view, whose layouts differ between libstdc++ and libc++.
//
// Threads: create() may run on any thread (gatehoused calls it while it compiles a config, once
// per worker thread and attachment). Each Interceptor it returns is then called by one worker
// thread only, never concurrently, so instances need no locks; state shared between instances
// (globals, statics) is the plugin's to protect. Hooks must not block: they run on the worker's
// event loop. Instances are destroyed (delete through the virtual destructor) when the config
// they belong to is replaced and its last request finished; the library stays loaded.
//
// Errors: a hook that throws is caught at the boundary: in onRequest/onRequestBody the client is
// answered 500 and the exception's what() is logged; in onResponse the response passes unchanged.
// create() that throws or returns nullptr refuses the config with the plugin's message.
//
// Any change to a struct, a class or a signature below increments kInterceptorAbiVersion.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>

namespace gatehouse {

inline constexpr std::uint32_t kInterceptorAbiVersion = 1;

// Bytes owned by the other side: valid until the hook returns (or, for values gatehoused returns,
// until the next call on the same Exchange). Not NUL-terminated.
struct Text
{
    const char *data = nullptr;
    std::size_t size = 0;

    constexpr Text() = default;
    constexpr Text(const char *bytes, std::size_t length) : data(bytes), size(length) {}
    // Implicit on purpose: hooks take "literals", std::string and std::string_view alike.
    constexpr Text(const char *s) : data(s), size(s ? std::char_traits<char>::length(s) : 0) {}   // NOLINT
    template<typename S, typename = std::enable_if_t<std::is_convertible_v<const S &, std::string_view>
                                                     && !std::is_convertible_v<const S &, const char *>>>
    constexpr Text(const S &s) : Text(std::string_view(s).data(), std::string_view(s).size()) {}   // NOLINT
    constexpr std::string_view view() const { return std::string_view(data, size); }
};

struct Header
{
    Text name;
    Text value;
};

// One exchange as a hook sees it. Request hooks read and edit the request sent upstream; the
// response hook reads and edits the response the client gets. Valid only during the hook call.
class Exchange
{
public:
    virtual Text method() const = 0;
    virtual Text path() const = 0;    // normalised, as received, without the query
    virtual Text query() const = 0;   // raw, without '?'; empty when none
    // The header's current value (after the edits so far; the first field of that name, any
    // case). False when absent.
    virtual bool header(Text name, Text *value) const = 0;
    // Replaces every field of that name. False (and nothing changes) for a name that is not a
    // token, a value with control characters, or a header the gateway manages (Content-Length,
    // Transfer-Encoding, Connection, Host ...).
    virtual bool setHeader(Text name, Text value) = 0;
    virtual bool removeHeader(Text name) = 0;
    // The upstream's status in onResponse; 0 in request hooks.
    virtual int status() const = 0;
    // The whole request body, in onRequestBody only (empty elsewhere).
    virtual Text body() const = 0;
    // Replaces the request body sent upstream (onRequestBody only; false elsewhere).
    virtual bool setBody(Text body) = 0;
    // Answers the client now instead of calling the upstream (request hooks only): status
    // 200-599, extra headers ("content-type" sets the body's type; default text/plain). False
    // (and nothing is answered) for a bad status or header, or in onResponse. After a true
    // return the hook should return; later edits are ignored.
    virtual bool respond(int status, const Header *headers, std::size_t headerCount, Text body) = 0;
    // A line in the gateway's log (category gatehouse.native, info level), prefixed by the library.
    virtual void log(Text message) = 0;

protected:
    ~Exchange() = default;
};

// One instance per worker thread and attachment (see the thread rules above). Override the hooks
// the plugin declares in InterceptorPlugin::hooks; the others are never called.
class Interceptor
{
public:
    virtual ~Interceptor() = default;
    // The request head, before the upstream is called.
    virtual void onRequest(Exchange &exchange) { (void)exchange; }
    // The whole request body (kHookRequestBody), after every request head hook passed.
    virtual void onRequestBody(Exchange &exchange) { (void)exchange; }
    // The upstream's response head.
    virtual void onResponse(Exchange &exchange) { (void)exchange; }
};

enum HookFlags : std::uint32_t {
    kHookRequest = 1u,
    kHookRequestBody = 2u,   // gatehoused buffers request bodies up to maxRequestBodyBytes (413 beyond)
    kHookResponse = 4u,
};

// What a plugin declares; returned by gatehouse_interceptor_plugin(), static for the library's life.
struct InterceptorPlugin
{
    const char *name;             // "add-header": shown in logs and `gatehoused check`
    const char *version;          // the plugin's own version: "1.0.0"
    const char *description;      // one sentence
    // JSON Schema (draft 2020-12, an object schema) of the attachment's settings other than
    // `library`. gatehoused validates settings against it before create() and reports problems
    // with field paths (`settings.header: expected string, got number`); top-level `default`s
    // are filled in. nullptr or "" accepts any settings.
    const char *settingsSchema;
    std::uint32_t hooks;                // HookFlags
    std::int64_t maxRequestBodyBytes;   // with kHookRequestBody: the largest body accepted
    // A new instance configured by `settingsJson` (a JSON object as UTF-8 text, validated and with
    // defaults filled in). On a problem return nullptr and write a sentence (UTF-8, at most
    // errorCapacity bytes including a NUL) to `error`.
    Interceptor *(*create)(Text settingsJson, char *error, std::size_t errorCapacity);
};

} // namespace gatehouse

#if defined(_WIN32)
#define GATEHOUSE_INTERCEPTOR_EXPORT __declspec(dllexport)
#else
#define GATEHOUSE_INTERCEPTOR_EXPORT __attribute__((visibility("default")))
#endif

// Defines the two entry points of a plugin whose declaration is the InterceptorPlugin `plugin`.
#define GATEHOUSE_INTERCEPTOR_PLUGIN(plugin)                                                        \
    extern "C" GATEHOUSE_INTERCEPTOR_EXPORT std::uint32_t gatehouse_interceptor_abi_version()       \
    {                                                                                              \
        return gatehouse::kInterceptorAbiVersion;                                                  \
    }                                                                                              \
    extern "C" GATEHOUSE_INTERCEPTOR_EXPORT const gatehouse::InterceptorPlugin *                    \
    gatehouse_interceptor_plugin()                                                                 \
    {                                                                                              \
        return &(plugin);                                                                          \
    }
