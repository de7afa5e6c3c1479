using System;
using System.Collections.Generic;
using System.Linq;

namespace RemoteOps.Core.Ssh
{
    /// <summary>
    /// The held sessions of one runspace: numbered as they are added, found by Id, name or host,
    /// and all closed together when the runspace ends or the module is removed.
    /// </summary>
    public sealed class SshSessionRegistry
    {
        private readonly object gate = new object();
        private readonly List<HeldSshSession> sessions = new List<HeldSshSession>();
        private int lastId;

        /// <summary>How many sessions are listed.</summary>
        public int Count
        {
            get
            {
                lock (gate)
                {
                    return sessions.Count;
                }
            }
        }

        /// <summary>Lists a session and gives it the next Id (and the name SessionN when it has none).</summary>
        public void Add(HeldSshSession session)
        {
            if (session == null)
            {
                throw new ArgumentNullException(nameof(session));
            }

            lock (gate)
            {
                if (sessions.Contains(session))
                {
                    return;
                }

                session.Id = ++lastId;
                if (string.IsNullOrEmpty(session.Name))
                {
                    session.Name = "Session" + session.Id;
                }

                sessions.Add(session);
            }
        }

        /// <summary>
        /// The listed sessions, in Id order, that match every filter given: an Id in
        /// <paramref name="ids"/>, a name matching one of <paramref name="names"/> (wildcards
        /// allowed, any case), a host matching one of <paramref name="computerNames"/> (the same).
        /// A null filter matches everything.
        /// </summary>
        public IReadOnlyList<HeldSshSession> Find(IEnumerable<int> ids = null, IEnumerable<string> names = null, IEnumerable<string> computerNames = null)
        {
            int[] idList = ids?.ToArray();
            WildcardText[] namePatterns = names?.Select(n => new WildcardText(n)).ToArray();
            WildcardText[] hostPatterns = computerNames?.Select(n => new WildcardText(n)).ToArray();
            lock (gate)
            {
                return sessions
                    .Where(s => idList == null || idList.Contains(s.Id))
                    .Where(s => namePatterns == null || namePatterns.Any(p => p.Matches(s.Name)))
                    .Where(s => hostPatterns == null || hostPatterns.Any(p => p.Matches(s.ComputerName)))
                    .OrderBy(s => s.Id)
                    .ToList();
            }
        }

        /// <summary>Closes a session and takes it off the list; false when it was not listed (it is closed all the same).</summary>
        public bool Remove(HeldSshSession session)
        {
            if (session == null)
            {
                throw new ArgumentNullException(nameof(session));
            }

            bool removed;
            lock (gate)
            {
                removed = sessions.Remove(session);
            }

            session.Close();
            return removed;
        }

        /// <summary>Closes every listed session and empties the list.</summary>
        public void CloseAll()
        {
            HeldSshSession[] closing;
            lock (gate)
            {
                closing = sessions.ToArray();
                sessions.Clear();
            }

            foreach (HeldSshSession session in closing)
            {
                session.Close();
            }
        }
    }
}
