using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Security.Authentication;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using RemoteOps.Core.Audit;
using RemoteOps.Core.Errors;

namespace RemoteOps.Core.Rest
{
    /// <summary>
    /// JSON over HTTPS to one appliance: certificate trust by validation or pin, login and
    /// silent re-login on 401, retries with back-off on 429 (honouring Retry-After), 502-504
    /// and dropped connections. Requests that are not safe to repeat (POST) are retried only
    /// when the caller's check says the first attempt did not take effect.
    /// </summary>
    internal sealed class RestClient : IDisposable
    {
        private readonly HttpClient http;
        private readonly TlsTrust trust;
        private readonly RestRetryPolicy retry;
        private readonly Func<RestClient, CancellationToken, Task<AuthenticationHeaderValue>> login;
        private readonly IVendorErrorParser errors;
        private readonly SemaphoreSlim loginGate = new SemaphoreSlim(1, 1);
        private readonly SemaphoreSlim inFlight;
        private int concurrencyLimit;
        private readonly List<string> secrets = new List<string>();
        private readonly Random jitter = new Random();
        private AuthenticationHeaderValue authorization;
        private int loginGeneration;
        private Exception loginFailure;
        private int loginFailureGeneration = -1;
        private DateTime loginFailureUntil;
        private string lastPresentedCertificate;

        /// <summary>A client for one device; <paramref name="errors"/> reads the vendor's error replies.</summary>
        internal RestClient(RestConnectionOptions options, IVendorErrorParser errors,
            Func<RestClient, CancellationToken, Task<AuthenticationHeaderValue>> login)
            : this(options.BaseAddress, options.Trust, options.Retry, options.RequestTimeout, login, options.Handler, options.MaxConnections, errors, options.Proxy)
        {
        }

        /// <summary>With <paramref name="handler"/> given, requests go to it instead of the network (tests).</summary>
        internal RestClient(Uri baseAddress, TlsTrust trust, RestRetryPolicy retry, TimeSpan timeout,
            Func<RestClient, CancellationToken, Task<AuthenticationHeaderValue>> login, HttpMessageHandler handler, int maxConnections = 16,
            IVendorErrorParser errors = null, Uri proxy = null)
        {
            this.trust = trust ?? TlsTrust.SystemValidation;
            this.retry = retry ?? new RestRetryPolicy();
            this.login = login;
            this.errors = errors ?? JsonErrorParser.Instance;
            BaseAddress = baseAddress;
            concurrencyLimit = Math.Min(Math.Max(1, maxConnections), MaxConcurrentRequests);
            inFlight = new SemaphoreSlim(concurrencyLimit);
            http = new HttpClient(handler ?? CreateHandler(proxy)) { BaseAddress = baseAddress, Timeout = timeout };
        }

        /// <summary>The most requests that run at the same time; raised with <see cref="AllowConcurrentRequests"/>.</summary>
        internal int ConcurrencyLimit => Volatile.Read(ref concurrencyLimit);

        /// <summary>
        /// Lets up to <paramref name="count"/> requests run at the same time (a cmdlet raises it to
        /// its -ThrottleLimit). The limit is only ever raised: requests already waiting keep their
        /// place, and a lower number leaves it as it is.
        /// </summary>
        internal void AllowConcurrentRequests(int count)
        {
            count = Math.Min(count, MaxConcurrentRequests);
            lock (inFlight)
            {
                if (count > concurrencyLimit)
                {
                    inFlight.Release(count - concurrencyLimit);
                    Volatile.Write(ref concurrencyLimit, count);
                }
            }
        }

        /// <summary>The highest concurrency a cmdlet can ask for (the top of -ThrottleLimit).</summary>
        internal const int MaxConcurrentRequests = 1024;

        // The handler's own bound is set to the highest a cmdlet can ask for (Windows PowerShell's
        // default would be 2 per server); the in-flight gate is the real bound, so that it can follow
        // -ThrottleLimit without building a new handler (and new TLS sessions).
        private HttpClientHandler CreateHandler(Uri proxy)
        {
            return new HttpClientHandler
            {
                // A proxy, when given, is used for this device only; the system proxy is never picked up silently.
                UseProxy = proxy != null,
                Proxy = proxy == null ? null : new WebProxy(proxy),
                AllowAutoRedirect = false,
                UseCookies = false,
                MaxConnectionsPerServer = MaxConcurrentRequests,
                ServerCertificateCustomValidationCallback = (request, certificate, chain, errors) =>
                {
                    bool accepted = this.trust.Accepts(certificate, errors, out string presented);
                    if (!accepted)
                    {
                        lastPresentedCertificate = presented;
                    }

                    return accepted;
                },
            };
        }

        internal Uri BaseAddress { get; }

        /// <summary>Requests sent (attempts included), for diagnostics and tests.</summary>
        internal int Attempts;

        /// <summary>
        /// Secrets of the connection itself (admin password, API key, token), kept out of every
        /// error message built from a response for the life of the client. A secret that belongs
        /// to one request (a user's new password) is passed to <see cref="EnsureSuccess"/> of
        /// that request instead, so that it is not held in memory after the request.
        /// </summary>
        internal void AddSecret(string secret)
        {
            if (!string.IsNullOrEmpty(secret))
            {
                lock (secrets)
                {
                    secrets.Add(secret);
                }
            }
        }

        internal Task EnsureLoggedInAsync(CancellationToken cancellationToken) => ReLoginAsync(-1, cancellationToken);

        /// <summary>Sends one request without login or retry (for login requests themselves).</summary>
        internal async Task<RestResponse> SendRawAsync(HttpMethod method, string path, JToken body, AuthenticationHeaderValue auth, CancellationToken cancellationToken,
            IReadOnlyDictionary<string, string> headers = null)
        {
            using (var request = BuildRequest(method, path, body, auth, headers))
            {
                return await SendRequestAsync(request, cancellationToken).ConfigureAwait(false);
            }
        }

        /// <summary>
        /// POSTs a form (application/x-www-form-urlencoded) once, without login or retry: for
        /// OAuth token endpoints, which may live on another host (give an absolute URL).
        /// </summary>
        internal async Task<RestResponse> SendFormRawAsync(string url, IEnumerable<KeyValuePair<string, string>> form, CancellationToken cancellationToken)
        {
            using (var request = BuildRequest(HttpMethod.Post, url, null, null))
            {
                request.Content = new FormUrlEncodedContent(form);
                return await SendRequestAsync(request, cancellationToken).ConfigureAwait(false);
            }
        }

        /// <summary>A header sent with every request (an API key header that is not Authorization); registered as a secret.</summary>
        internal void AddDefaultHeader(string name, string value)
        {
            AddSecret(value);
            http.DefaultRequestHeaders.TryAddWithoutValidation(name, value);
        }

        private async Task<RestResponse> SendRequestAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            await inFlight.WaitAsync(cancellationToken).ConfigureAwait(false);
            Interlocked.Increment(ref Attempts);
            RestCallBudget budget = RestCallBudget.Current;
            CancellationTokenSource deadline = budget == null ? null : CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline?.CancelAfter(budget.RequestTimeout);
            try
            {
                using (var response = await http.SendAsync(request, deadline?.Token ?? cancellationToken).ConfigureAwait(false))
                {
                    string text = response.Content == null ? string.Empty : await response.Content.ReadAsStringAsync().ConfigureAwait(false);
                    return new RestResponse(response.StatusCode, text, RetryAfterOf(response), HeadersOf(response));
                }
            }
            catch (OperationCanceledException error) when (deadline != null && deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                // The scope's time-out, not the caller's cancellation: a transport failure like any other.
                throw new TaskCanceledException($"no answer within {budget.RequestTimeout.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)} s", error);
            }
            catch (HttpRequestException error) when (IsTrustFailure(error))
            {
                throw new ApplianceException(
                    ApplianceErrorKind.TrustFailure,
                    $"{BaseAddress} presented a certificate that is not trusted: {lastPresentedCertificate ?? "unknown certificate"}; expected {trust}.",
                    trust.IsPinned
                        ? "If the appliance's certificate was legitimately replaced, check the new one out of band and pin it with -CertificateThumbprint or -PublicKeyPin."
                        : "Pin the appliance's certificate with -CertificateThumbprint or -PublicKeyPin after checking it out of band, or install its CA as trusted.",
                    error);
            }
            finally
            {
                deadline?.Dispose();
                inFlight.Release();
            }
        }

        /// <summary>
        /// Sends a request with login, re-login on 401 and retries. <paramref name="retryUnsafe"/>
        /// (for POST) is asked before repeating a request whose first attempt may have taken
        /// effect; it returns true when repeating is safe (the effect is not there).
        /// <paramref name="headers"/> are sent with every attempt (If-Match).
        /// </summary>
        internal async Task<RestResponse> SendAsync(HttpMethod method, string path, JToken body, CancellationToken cancellationToken, Func<CancellationToken, Task<bool>> retryUnsafe = null,
            IReadOnlyDictionary<string, string> headers = null)
        {
            bool idempotent = method != HttpMethod.Post;
            RestRetryPolicy policy = RestCallBudget.Current?.Retry ?? retry;
            int reLogins = 0;
            for (int attempt = 1; ; attempt++)
            {
                int generation = Volatile.Read(ref loginGeneration);
                AuthenticationHeaderValue auth = Volatile.Read(ref authorization);
                if (auth == null && login != null)
                {
                    await ReLoginAsync(generation, cancellationToken).ConfigureAwait(false);
                    generation = Volatile.Read(ref loginGeneration);
                    auth = Volatile.Read(ref authorization);
                }

                RestResponse response;
                try
                {
                    response = await SendRawAsync(method, path, body, auth, cancellationToken, headers).ConfigureAwait(false);
                }
                catch (Exception error) when (IsTransportFailure(error, cancellationToken))
                {
                    if (attempt >= policy.MaxAttempts || !await MayRepeatAsync(idempotent, retryUnsafe, cancellationToken).ConfigureAwait(false))
                    {
                        throw new ApplianceException(ApplianceErrorKind.Unreachable, $"{method} {path} on {BaseAddress} failed: {Describe(error)} (after {attempt} attempt(s)).", "Check that the appliance is up and reachable.", error);
                    }

                    await Task.Delay(Backoff(attempt), cancellationToken).ConfigureAwait(false);
                    continue;
                }

                if (response.Code == 401 && login != null && reLogins < 2)
                {
                    // An expired api key or token: log in again and repeat; the request was refused, so it had no effect.
                    reLogins++;
                    await ReLoginAsync(generation, cancellationToken).ConfigureAwait(false);
                    attempt--;
                    continue;
                }

                bool busy = response.Code == 429 || response.Code == 502 || response.Code == 503 || response.Code == 504;
                if (busy && attempt < policy.MaxAttempts)
                {
                    // 429 and 503 mean the request was not processed, so even a POST may be repeated.
                    bool notProcessed = response.Code == 429 || response.Code == 503;
                    if (notProcessed || await MayRepeatAsync(idempotent, retryUnsafe, cancellationToken).ConfigureAwait(false))
                    {
                        await Task.Delay(RetryDelay(response, attempt), cancellationToken).ConfigureAwait(false);
                        continue;
                    }
                }

                return response;
            }
        }

        /// <summary>
        /// Throws a classified failure for a response that is not a success.
        /// <paramref name="requestSecrets"/> are the secrets this one request carried (a user's
        /// password): they are removed from the appliance's error text together with the
        /// connection's secrets, and not kept afterwards.
        /// </summary>
        internal void EnsureSuccess(RestResponse response, string what, params string[] requestSecrets)
        {
            if (response.IsSuccess)
            {
                return;
            }

            ApplianceErrorKind kind = errors.Classify(response) ?? KindOf(response.Code);
            throw new ApplianceException(kind, $"{what} failed on {BaseAddress}: HTTP {response.Code}{Detail(response, requestSecrets)}.", RemedyFor(kind));
        }

        private static ApplianceErrorKind KindOf(int code)
        {
            ApplianceErrorKind kind;
            switch (code)
            {
                case 400: kind = ApplianceErrorKind.InvalidRequest; break;
                case 401:
                case 403: kind = ApplianceErrorKind.AuthenticationFailed; break;
                case 404: kind = ApplianceErrorKind.NotFound; break;
                case 409: kind = ApplianceErrorKind.AlreadyExists; break;
                case 422: kind = ApplianceErrorKind.InUse; break;
                case 429:
                case 502:
                case 503:
                case 504: kind = ApplianceErrorKind.Busy; break;
                default: kind = ApplianceErrorKind.Failed; break;
            }

            return kind;
        }

        /// <summary>The appliance's own error text, shortened, without the connection's secrets nor <paramref name="requestSecrets"/>.</summary>
        internal string Detail(RestResponse response, params string[] requestSecrets)
        {
            string message = errors.ErrorText(response) ?? (response.Text.TrimStart().StartsWith("<", StringComparison.Ordinal) ? null : response.Text);
            if (string.IsNullOrWhiteSpace(message))
            {
                return string.Empty;
            }

            message = message.Replace('\n', ' ').Replace('\r', ' ').Trim();
            var redact = new List<string>();
            lock (secrets)
            {
                redact.AddRange(secrets);
            }

            if (requestSecrets != null)
            {
                redact.AddRange(requestSecrets.Where(secret => !string.IsNullOrEmpty(secret)));
            }

            // Redacted before it is shortened: a secret cut in half is no longer recognised as a whole value.
            message = AuditLog.Redact(message, redact);
            if (message.Length > 300)
            {
                message = message.Substring(0, 300) + "...";
            }

            return ": " + message;
        }

        /// <summary>How many connection secrets are held (tests: a user's password must not be among them).</summary>
        internal int SecretCount
        {
            get
            {
                lock (secrets)
                {
                    return secrets.Count;
                }
            }
        }

        /// <summary>True while the client holds an Authorization header (an API key or token) to send.</summary>
        internal bool IsLoggedIn => Volatile.Read(ref authorization) != null;

        /// <summary>Forgets the API key or token and the secrets, and closes the connections.</summary>
        public void Dispose()
        {
            // Nothing of the login outlives the connection object, even where the appliance
            // offers no way to log out.
            Volatile.Write(ref authorization, null);
            lock (secrets)
            {
                secrets.Clear();
            }

            http.Dispose();
            loginGate.Dispose();
            inFlight.Dispose();
        }

        private static string RemedyFor(ApplianceErrorKind kind)
        {
            switch (kind)
            {
                case ApplianceErrorKind.AuthenticationFailed: return "Check the admin credentials and that the account may use the REST API.";
                case ApplianceErrorKind.InUse: return "Remove the references named above first (for example the role-mapping rule or group that lists the user).";
                case ApplianceErrorKind.Busy: return "The appliance stayed busy through every retry; try again later or lower -ThrottleLimit.";
                default: return null;
            }
        }

        /// <summary>
        /// How long a login that failed for another reason than a refusal (the appliance did not
        /// answer, timed out, was busy) is reported again without a new attempt.
        /// </summary>
        internal TimeSpan UnansweredLoginHold { get; set; } = TimeSpan.FromSeconds(5);

        // Only a login the appliance did not answer (down, restarting, too busy, the network) may
        // pass on the next try; an answer that refused it (credentials, certificate, a realm or
        // request it does not accept) stays refused until the user connects again, so that a
        // long run cannot add failed admin logins towards a lockout.
        private static bool IsRefusal(Exception error)
        {
            if (error is ApplianceException appliance)
            {
                return appliance.Kind != ApplianceErrorKind.Unreachable && appliance.Kind != ApplianceErrorKind.TimedOut && appliance.Kind != ApplianceErrorKind.Busy;
            }

            return !(error is System.Net.Http.HttpRequestException || error is OperationCanceledException || error is System.IO.IOException || error is System.Net.Sockets.SocketException);
        }

        private async Task ReLoginAsync(int seenGeneration, CancellationToken cancellationToken)
        {
            if (login == null)
            {
                return;
            }

            await loginGate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                // Many workers may see the same 401 at once; only the first logs in again.
                if (seenGeneration >= 0 && seenGeneration != loginGeneration && authorization != null)
                {
                    return;
                }

                // A refused login is not tried again by every waiting worker: thousands of failed
                // admin logins would lock the account. A login the appliance did not answer is
                // held back only for a moment, so that an appliance back from a restart is logged
                // in to again without a new connection.
                if (loginFailure != null && loginFailureGeneration == loginGeneration && DateTime.UtcNow < loginFailureUntil)
                {
                    throw loginFailure;
                }

                try
                {
                    Volatile.Write(ref authorization, await login(this, cancellationToken).ConfigureAwait(false));
                }
                catch (Exception error) when (!cancellationToken.IsCancellationRequested)
                {
                    // A login that timed out is a failure like any other; only the caller's stop is not.
                    // The old key is dropped too, so later requests meet the refusal instead of
                    // sending a key the appliance has already refused.
                    Volatile.Write(ref authorization, null);
                    loginFailure = error;
                    loginFailureGeneration = loginGeneration;
                    loginFailureUntil = IsRefusal(error) ? DateTime.MaxValue : DateTime.UtcNow + UnansweredLoginHold;
                    throw;
                }

                Interlocked.Increment(ref loginGeneration);
            }
            finally
            {
                loginGate.Release();
            }
        }

        private async Task<bool> MayRepeatAsync(bool idempotent, Func<CancellationToken, Task<bool>> retryUnsafe, CancellationToken cancellationToken)
        {
            if (idempotent)
            {
                return true;
            }

            return retryUnsafe != null && await retryUnsafe(cancellationToken).ConfigureAwait(false);
        }

        // Retry-After is honoured, but never beyond MaxDelay: a runbook must finish.
        private TimeSpan RetryDelay(RestResponse response, int attempt)
        {
            if (response.RetryAfter.HasValue && response.RetryAfter.Value > TimeSpan.Zero)
            {
                return response.RetryAfter.Value < retry.MaxDelay ? response.RetryAfter.Value : retry.MaxDelay;
            }

            return Backoff(attempt);
        }

        // Random is not thread-safe, and workers back off concurrently.
        private TimeSpan Backoff(int attempt)
        {
            lock (jitter)
            {
                return retry.Backoff(attempt, jitter);
            }
        }

        // The headers a driver may need (ETag, Location, Set-Cookie), several values joined by "\n".
        private static IReadOnlyDictionary<string, string> HeadersOf(HttpResponseMessage response)
        {
            var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            IEnumerable<KeyValuePair<string, IEnumerable<string>>> all = response.Headers;
            if (response.Content != null)
            {
                all = all.Concat(response.Content.Headers);
            }

            foreach (KeyValuePair<string, IEnumerable<string>> header in all)
            {
                headers[header.Key] = string.Join("\n", header.Value);
            }

            return headers;
        }

        private static TimeSpan? RetryAfterOf(HttpResponseMessage response)
        {
            RetryConditionHeaderValue header = response.Headers.RetryAfter;
            if (header == null)
            {
                return null;
            }

            if (header.Delta.HasValue)
            {
                return header.Delta.Value;
            }

            return header.Date.HasValue ? header.Date.Value - DateTimeOffset.UtcNow : (TimeSpan?)null;
        }

        /// <summary>
        /// The login result of an API that keeps its session in a cookie (the Forcepoint SMC's
        /// JSESSIONID): returned by a login function in place of an Authorization header, it is
        /// sent as the Cookie header of every request, and forgotten and renewed like a token.
        /// </summary>
        internal static AuthenticationHeaderValue SessionCookie(string nameAndValue) => new AuthenticationHeaderValue(CookieScheme, nameAndValue);

        private const string CookieScheme = "X-RemoteOps-Session-Cookie";

        private HttpRequestMessage BuildRequest(HttpMethod method, string path, JToken body, AuthenticationHeaderValue auth, IReadOnlyDictionary<string, string> headers = null)
        {
            var request = new HttpRequestMessage(method, path);
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            if (auth != null && auth.Scheme == CookieScheme)
            {
                request.Headers.TryAddWithoutValidation("Cookie", auth.Parameter);
            }
            else if (auth != null)
            {
                request.Headers.Authorization = auth;
            }

            foreach (KeyValuePair<string, string> header in headers ?? new Dictionary<string, string>())
            {
                request.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }

            if (body != null)
            {
                request.Content = new StringContent(body.ToString(Formatting.None), Encoding.UTF8, "application/json");
            }

            return request;
        }

        private static bool IsTrustFailure(HttpRequestException error)
        {
            for (Exception e = error; e != null; e = e.InnerException)
            {
                if (e is AuthenticationException)
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>
        /// True for a failure of the connection itself (refused, dropped, timed out), not a stop
        /// by the caller and not an answer the appliance gave.
        /// </summary>
        internal static bool IsTransportFailure(Exception error, CancellationToken cancellationToken)
        {
            if (error is ApplianceException)
            {
                return false;
            }

            return error is HttpRequestException || error is IOException
                || (error is TaskCanceledException && !cancellationToken.IsCancellationRequested);
        }

        private static string Describe(Exception error)
        {
            if (error is TaskCanceledException)
            {
                return error.InnerException is OperationCanceledException ? error.Message : "no answer in time";
            }

            var text = new StringBuilder(error.Message);
            for (Exception inner = error.InnerException; inner != null; inner = inner.InnerException)
            {
                text.Append(" (").Append(inner.Message).Append(')');
            }

            return text.ToString();
        }
    }
}
