using System;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Newtonsoft.Json.Linq;
using RemoteOps.Core.Rest;
using RemoteOps.Core.Errors;

namespace RemoteOps.Core.Vpn
{
    /// <summary>
    /// Creating a user over REST exactly once: a POST whose answer was lost may have taken
    /// effect, and a user that exists after a clear refusal was made by someone else.
    /// </summary>
    internal static class UserCreationOverRest
    {
        /// <summary>
        /// Posts <paramref name="body"/>. Returns null when the user was created by this call;
        /// returns the refusal for the driver to classify; throws AlreadyExists when the user
        /// exists although this call did not create it.
        /// </summary>
        internal static async Task<RestResponse> PostOnceAsync(
            RestClient client,
            string path,
            JObject body,
            string userName,
            Func<CancellationToken, Task<bool>> userExists,
            CancellationToken cancellationToken)
        {
            RestResponse response;
            try
            {
                // Repeated only when the user is not there, so a retry never makes a duplicate.
                response = await client.SendAsync(HttpMethod.Post, path, body, cancellationToken,
                    async token => !await userExists(token).ConfigureAwait(false)).ConfigureAwait(false);
            }
            catch (ApplianceException lost) when (lost.Kind == ApplianceErrorKind.Unreachable)
            {
                // The answer was lost but the user is there: the create took effect.
                if (await userExists(cancellationToken).ConfigureAwait(false))
                {
                    return null;
                }

                throw;
            }

            if (response.IsSuccess)
            {
                return null;
            }

            // A clear refusal of a user that exists means someone else created it (or another row
            // of this run did): that is a conflict to report, not this run's creation.
            if (await userExists(cancellationToken).ConfigureAwait(false))
            {
                throw new ApplianceException(
                    ApplianceErrorKind.AlreadyExists,
                    $"User '{userName}' was created by someone else meanwhile; its password is not the one given.",
                    "Check for the same user twice in the input, or another admin at work.");
            }

            return response;
        }
    }
}
