namespace RemoteOps.Core.Tests.Firewall
{
    /// <summary>
    /// Recorded from nftables 1.0.6 (Debian 12) in a throwaway network namespace: the script
    /// NftablesRuleset rendered for <see cref="FirewallSamples.Policy"/>, loaded with nft -f, and
    /// the table listed back with "nft -j list table inet remoteops" (re-indented; values as
    /// printed). Listed also: the same table after "nft add rule inet remoteops forward tcp dport 9
    /// counter" by hand.
    /// </summary>
    internal static class NftablesSamples
    {
        public const string Rendered = @"# Written by RemoteOps: this table is replaced as a whole on every change.
table inet remoteops
delete table inet remoteops
table inet remoteops {
	set clients {
		type ipv4_addr
		flags interval
		elements = { 198.19.240.0/24, 10.1.1.1-10.1.1.9 }
	}
	chain input {
		type filter hook input priority filter; policy accept;
		ct state established,related accept
		ip saddr @clients tcp dport 22 accept comment ""ssh-in: admins: from the office""
	}
	chain forward {
		type filter hook forward priority filter; policy accept;
		ct state established,related accept
		ip saddr { 198.19.240.0/24, 10.2.0.1-10.2.0.5 } ip daddr 198.19.241.2 tcp dport { 443, 8000-8010 } accept comment ""web-in""
		ip daddr 198.19.241.0/24 tcp dport 8080 drop comment ""block-8080""
		tcp dport 8081 reject with tcp reset comment ""refuse-8081""
		udp dport { 53, 123 } accept comment ""dns""
		meta l4proto icmp accept comment ""ping""
		ip daddr 10.0.0.0/8 meta l4proto udp reject comment ""udp-any: no UDP there""
		drop comment ""last""
	}
	chain input_disabled {
		tcp dport 25 accept comment ""smtp-off: kept for later""
	}
	chain forward_disabled {
	}
}
";

        public const string ListedClean = @"{
 ""nftables"": [
  {
   ""metainfo"": {
    ""version"": ""1.0.6"",
    ""release_name"": ""Lester Gooch #5"",
    ""json_schema_version"": 1
   }
  },
  {
   ""table"": {
    ""family"": ""inet"",
    ""name"": ""remoteops"",
    ""handle"": 5
   }
  },
  {
   ""set"": {
    ""family"": ""inet"",
    ""name"": ""clients"",
    ""table"": ""remoteops"",
    ""type"": ""ipv4_addr"",
    ""handle"": 5,
    ""flags"": [
     ""interval""
    ],
    ""elem"": [
     {
      ""range"": [
       ""10.1.1.1"",
       ""10.1.1.9""
      ]
     },
     {
      ""prefix"": {
       ""addr"": ""198.19.240.0"",
       ""len"": 24
      }
     }
    ]
   }
  },
  {
   ""chain"": {
    ""family"": ""inet"",
    ""table"": ""remoteops"",
    ""name"": ""input"",
    ""handle"": 1,
    ""type"": ""filter"",
    ""hook"": ""input"",
    ""prio"": 0,
    ""policy"": ""accept""
   }
  },
  {
   ""chain"": {
    ""family"": ""inet"",
    ""table"": ""remoteops"",
    ""name"": ""forward"",
    ""handle"": 2,
    ""type"": ""filter"",
    ""hook"": ""forward"",
    ""prio"": 0,
    ""policy"": ""accept""
   }
  },
  {
   ""chain"": {
    ""family"": ""inet"",
    ""table"": ""remoteops"",
    ""name"": ""input_disabled"",
    ""handle"": 3
   }
  },
  {
   ""chain"": {
    ""family"": ""inet"",
    ""table"": ""remoteops"",
    ""name"": ""forward_disabled"",
    ""handle"": 4
   }
  },
  {
   ""rule"": {
    ""family"": ""inet"",
    ""table"": ""remoteops"",
    ""chain"": ""input"",
    ""handle"": 6,
    ""expr"": [
     {
      ""match"": {
       ""op"": ""in"",
       ""left"": {
        ""ct"": {
         ""key"": ""state""
        }
       },
       ""right"": [
        ""established"",
        ""related""
       ]
      }
     },
     {
      ""accept"": null
     }
    ]
   }
  },
  {
   ""rule"": {
    ""family"": ""inet"",
    ""table"": ""remoteops"",
    ""chain"": ""input"",
    ""handle"": 7,
    ""comment"": ""ssh-in: admins: from the office"",
    ""expr"": [
     {
      ""match"": {
       ""op"": ""=="",
       ""left"": {
        ""payload"": {
         ""protocol"": ""ip"",
         ""field"": ""saddr""
        }
       },
       ""right"": ""@clients""
      }
     },
     {
      ""match"": {
       ""op"": ""=="",
       ""left"": {
        ""payload"": {
         ""protocol"": ""tcp"",
         ""field"": ""dport""
        }
       },
       ""right"": 22
      }
     },
     {
      ""accept"": null
     }
    ]
   }
  },
  {
   ""rule"": {
    ""family"": ""inet"",
    ""table"": ""remoteops"",
    ""chain"": ""forward"",
    ""handle"": 8,
    ""expr"": [
     {
      ""match"": {
       ""op"": ""in"",
       ""left"": {
        ""ct"": {
         ""key"": ""state""
        }
       },
       ""right"": [
        ""established"",
        ""related""
       ]
      }
     },
     {
      ""accept"": null
     }
    ]
   }
  },
  {
   ""rule"": {
    ""family"": ""inet"",
    ""table"": ""remoteops"",
    ""chain"": ""forward"",
    ""handle"": 11,
    ""comment"": ""web-in"",
    ""expr"": [
     {
      ""match"": {
       ""op"": ""=="",
       ""left"": {
        ""payload"": {
         ""protocol"": ""ip"",
         ""field"": ""saddr""
        }
       },
       ""right"": {
        ""set"": [
         {
          ""range"": [
           ""10.2.0.1"",
           ""10.2.0.5""
          ]
         },
         {
          ""prefix"": {
           ""addr"": ""198.19.240.0"",
           ""len"": 24
          }
         }
        ]
       }
      }
     },
     {
      ""match"": {
       ""op"": ""=="",
       ""left"": {
        ""payload"": {
         ""protocol"": ""ip"",
         ""field"": ""daddr""
        }
       },
       ""right"": ""198.19.241.2""
      }
     },
     {
      ""match"": {
       ""op"": ""=="",
       ""left"": {
        ""payload"": {
         ""protocol"": ""tcp"",
         ""field"": ""dport""
        }
       },
       ""right"": {
        ""set"": [
         443,
         {
          ""range"": [
           8000,
           8010
          ]
         }
        ]
       }
      }
     },
     {
      ""accept"": null
     }
    ]
   }
  },
  {
   ""rule"": {
    ""family"": ""inet"",
    ""table"": ""remoteops"",
    ""chain"": ""forward"",
    ""handle"": 12,
    ""comment"": ""block-8080"",
    ""expr"": [
     {
      ""match"": {
       ""op"": ""=="",
       ""left"": {
        ""payload"": {
         ""protocol"": ""ip"",
         ""field"": ""daddr""
        }
       },
       ""right"": {
        ""prefix"": {
         ""addr"": ""198.19.241.0"",
         ""len"": 24
        }
       }
      }
     },
     {
      ""match"": {
       ""op"": ""=="",
       ""left"": {
        ""payload"": {
         ""protocol"": ""tcp"",
         ""field"": ""dport""
        }
       },
       ""right"": 8080
      }
     },
     {
      ""drop"": null
     }
    ]
   }
  },
  {
   ""rule"": {
    ""family"": ""inet"",
    ""table"": ""remoteops"",
    ""chain"": ""forward"",
    ""handle"": 13,
    ""comment"": ""refuse-8081"",
    ""expr"": [
     {
      ""match"": {
       ""op"": ""=="",
       ""left"": {
        ""payload"": {
         ""protocol"": ""tcp"",
         ""field"": ""dport""
        }
       },
       ""right"": 8081
      }
     },
     {
      ""reject"": {
       ""type"": ""tcp reset""
      }
     }
    ]
   }
  },
  {
   ""rule"": {
    ""family"": ""inet"",
    ""table"": ""remoteops"",
    ""chain"": ""forward"",
    ""handle"": 15,
    ""comment"": ""dns"",
    ""expr"": [
     {
      ""match"": {
       ""op"": ""=="",
       ""left"": {
        ""payload"": {
         ""protocol"": ""udp"",
         ""field"": ""dport""
        }
       },
       ""right"": {
        ""set"": [
         53,
         123
        ]
       }
      }
     },
     {
      ""accept"": null
     }
    ]
   }
  },
  {
   ""rule"": {
    ""family"": ""inet"",
    ""table"": ""remoteops"",
    ""chain"": ""forward"",
    ""handle"": 16,
    ""comment"": ""ping"",
    ""expr"": [
     {
      ""match"": {
       ""op"": ""=="",
       ""left"": {
        ""meta"": {
         ""key"": ""l4proto""
        }
       },
       ""right"": ""icmp""
      }
     },
     {
      ""accept"": null
     }
    ]
   }
  },
  {
   ""rule"": {
    ""family"": ""inet"",
    ""table"": ""remoteops"",
    ""chain"": ""forward"",
    ""handle"": 17,
    ""comment"": ""udp-any: no UDP there"",
    ""expr"": [
     {
      ""match"": {
       ""op"": ""=="",
       ""left"": {
        ""payload"": {
         ""protocol"": ""ip"",
         ""field"": ""daddr""
        }
       },
       ""right"": {
        ""prefix"": {
         ""addr"": ""10.0.0.0"",
         ""len"": 8
        }
       }
      }
     },
     {
      ""match"": {
       ""op"": ""=="",
       ""left"": {
        ""meta"": {
         ""key"": ""l4proto""
        }
       },
       ""right"": ""udp""
      }
     },
     {
      ""reject"": {
       ""type"": ""icmp"",
       ""expr"": ""port-unreachable""
      }
     }
    ]
   }
  },
  {
   ""rule"": {
    ""family"": ""inet"",
    ""table"": ""remoteops"",
    ""chain"": ""forward"",
    ""handle"": 18,
    ""comment"": ""last"",
    ""expr"": [
     {
      ""drop"": null
     }
    ]
   }
  },
  {
   ""rule"": {
    ""family"": ""inet"",
    ""table"": ""remoteops"",
    ""chain"": ""input_disabled"",
    ""handle"": 19,
    ""comment"": ""smtp-off: kept for later"",
    ""expr"": [
     {
      ""match"": {
       ""op"": ""=="",
       ""left"": {
        ""payload"": {
         ""protocol"": ""tcp"",
         ""field"": ""dport""
        }
       },
       ""right"": 25
      }
     },
     {
      ""accept"": null
     }
    ]
   }
  }
 ]
}";

        public const string ListedWithHandAddedRule = @"{
 ""nftables"": [
  {
   ""metainfo"": {
    ""version"": ""1.0.6"",
    ""release_name"": ""Lester Gooch #5"",
    ""json_schema_version"": 1
   }
  },
  {
   ""table"": {
    ""family"": ""inet"",
    ""name"": ""remoteops"",
    ""handle"": 4
   }
  },
  {
   ""set"": {
    ""family"": ""inet"",
    ""name"": ""clients"",
    ""table"": ""remoteops"",
    ""type"": ""ipv4_addr"",
    ""handle"": 5,
    ""flags"": [
     ""interval""
    ],
    ""elem"": [
     {
      ""range"": [
       ""10.1.1.1"",
       ""10.1.1.9""
      ]
     },
     {
      ""prefix"": {
       ""addr"": ""198.19.240.0"",
       ""len"": 24
      }
     }
    ]
   }
  },
  {
   ""chain"": {
    ""family"": ""inet"",
    ""table"": ""remoteops"",
    ""name"": ""input"",
    ""handle"": 1,
    ""type"": ""filter"",
    ""hook"": ""input"",
    ""prio"": 0,
    ""policy"": ""accept""
   }
  },
  {
   ""chain"": {
    ""family"": ""inet"",
    ""table"": ""remoteops"",
    ""name"": ""forward"",
    ""handle"": 2,
    ""type"": ""filter"",
    ""hook"": ""forward"",
    ""prio"": 0,
    ""policy"": ""accept""
   }
  },
  {
   ""chain"": {
    ""family"": ""inet"",
    ""table"": ""remoteops"",
    ""name"": ""input_disabled"",
    ""handle"": 3
   }
  },
  {
   ""chain"": {
    ""family"": ""inet"",
    ""table"": ""remoteops"",
    ""name"": ""forward_disabled"",
    ""handle"": 4
   }
  },
  {
   ""rule"": {
    ""family"": ""inet"",
    ""table"": ""remoteops"",
    ""chain"": ""input"",
    ""handle"": 6,
    ""expr"": [
     {
      ""match"": {
       ""op"": ""in"",
       ""left"": {
        ""ct"": {
         ""key"": ""state""
        }
       },
       ""right"": [
        ""established"",
        ""related""
       ]
      }
     },
     {
      ""accept"": null
     }
    ]
   }
  },
  {
   ""rule"": {
    ""family"": ""inet"",
    ""table"": ""remoteops"",
    ""chain"": ""input"",
    ""handle"": 7,
    ""comment"": ""ssh-in: admins: from the office"",
    ""expr"": [
     {
      ""match"": {
       ""op"": ""=="",
       ""left"": {
        ""payload"": {
         ""protocol"": ""ip"",
         ""field"": ""saddr""
        }
       },
       ""right"": ""@clients""
      }
     },
     {
      ""match"": {
       ""op"": ""=="",
       ""left"": {
        ""payload"": {
         ""protocol"": ""tcp"",
         ""field"": ""dport""
        }
       },
       ""right"": 22
      }
     },
     {
      ""accept"": null
     }
    ]
   }
  },
  {
   ""rule"": {
    ""family"": ""inet"",
    ""table"": ""remoteops"",
    ""chain"": ""forward"",
    ""handle"": 8,
    ""expr"": [
     {
      ""match"": {
       ""op"": ""in"",
       ""left"": {
        ""ct"": {
         ""key"": ""state""
        }
       },
       ""right"": [
        ""established"",
        ""related""
       ]
      }
     },
     {
      ""accept"": null
     }
    ]
   }
  },
  {
   ""rule"": {
    ""family"": ""inet"",
    ""table"": ""remoteops"",
    ""chain"": ""forward"",
    ""handle"": 11,
    ""comment"": ""web-in"",
    ""expr"": [
     {
      ""match"": {
       ""op"": ""=="",
       ""left"": {
        ""payload"": {
         ""protocol"": ""ip"",
         ""field"": ""saddr""
        }
       },
       ""right"": {
        ""set"": [
         {
          ""range"": [
           ""10.2.0.1"",
           ""10.2.0.5""
          ]
         },
         {
          ""prefix"": {
           ""addr"": ""198.19.240.0"",
           ""len"": 24
          }
         }
        ]
       }
      }
     },
     {
      ""match"": {
       ""op"": ""=="",
       ""left"": {
        ""payload"": {
         ""protocol"": ""ip"",
         ""field"": ""daddr""
        }
       },
       ""right"": ""198.19.241.2""
      }
     },
     {
      ""match"": {
       ""op"": ""=="",
       ""left"": {
        ""payload"": {
         ""protocol"": ""tcp"",
         ""field"": ""dport""
        }
       },
       ""right"": {
        ""set"": [
         443,
         {
          ""range"": [
           8000,
           8010
          ]
         }
        ]
       }
      }
     },
     {
      ""accept"": null
     }
    ]
   }
  },
  {
   ""rule"": {
    ""family"": ""inet"",
    ""table"": ""remoteops"",
    ""chain"": ""forward"",
    ""handle"": 12,
    ""comment"": ""block-8080"",
    ""expr"": [
     {
      ""match"": {
       ""op"": ""=="",
       ""left"": {
        ""payload"": {
         ""protocol"": ""ip"",
         ""field"": ""daddr""
        }
       },
       ""right"": {
        ""prefix"": {
         ""addr"": ""198.19.241.0"",
         ""len"": 24
        }
       }
      }
     },
     {
      ""match"": {
       ""op"": ""=="",
       ""left"": {
        ""payload"": {
         ""protocol"": ""tcp"",
         ""field"": ""dport""
        }
       },
       ""right"": 8080
      }
     },
     {
      ""drop"": null
     }
    ]
   }
  },
  {
   ""rule"": {
    ""family"": ""inet"",
    ""table"": ""remoteops"",
    ""chain"": ""forward"",
    ""handle"": 13,
    ""comment"": ""refuse-8081"",
    ""expr"": [
     {
      ""match"": {
       ""op"": ""=="",
       ""left"": {
        ""payload"": {
         ""protocol"": ""tcp"",
         ""field"": ""dport""
        }
       },
       ""right"": 8081
      }
     },
     {
      ""reject"": {
       ""type"": ""tcp reset""
      }
     }
    ]
   }
  },
  {
   ""rule"": {
    ""family"": ""inet"",
    ""table"": ""remoteops"",
    ""chain"": ""forward"",
    ""handle"": 15,
    ""comment"": ""dns"",
    ""expr"": [
     {
      ""match"": {
       ""op"": ""=="",
       ""left"": {
        ""payload"": {
         ""protocol"": ""udp"",
         ""field"": ""dport""
        }
       },
       ""right"": {
        ""set"": [
         53,
         123
        ]
       }
      }
     },
     {
      ""accept"": null
     }
    ]
   }
  },
  {
   ""rule"": {
    ""family"": ""inet"",
    ""table"": ""remoteops"",
    ""chain"": ""forward"",
    ""handle"": 16,
    ""comment"": ""ping"",
    ""expr"": [
     {
      ""match"": {
       ""op"": ""=="",
       ""left"": {
        ""meta"": {
         ""key"": ""l4proto""
        }
       },
       ""right"": ""icmp""
      }
     },
     {
      ""accept"": null
     }
    ]
   }
  },
  {
   ""rule"": {
    ""family"": ""inet"",
    ""table"": ""remoteops"",
    ""chain"": ""forward"",
    ""handle"": 17,
    ""comment"": ""udp-any: no UDP there"",
    ""expr"": [
     {
      ""match"": {
       ""op"": ""=="",
       ""left"": {
        ""payload"": {
         ""protocol"": ""ip"",
         ""field"": ""daddr""
        }
       },
       ""right"": {
        ""prefix"": {
         ""addr"": ""10.0.0.0"",
         ""len"": 8
        }
       }
      }
     },
     {
      ""match"": {
       ""op"": ""=="",
       ""left"": {
        ""meta"": {
         ""key"": ""l4proto""
        }
       },
       ""right"": ""udp""
      }
     },
     {
      ""reject"": {
       ""type"": ""icmp"",
       ""expr"": ""port-unreachable""
      }
     }
    ]
   }
  },
  {
   ""rule"": {
    ""family"": ""inet"",
    ""table"": ""remoteops"",
    ""chain"": ""forward"",
    ""handle"": 18,
    ""comment"": ""last"",
    ""expr"": [
     {
      ""drop"": null
     }
    ]
   }
  },
  {
   ""rule"": {
    ""family"": ""inet"",
    ""table"": ""remoteops"",
    ""chain"": ""forward"",
    ""handle"": 20,
    ""expr"": [
     {
      ""match"": {
       ""op"": ""=="",
       ""left"": {
        ""payload"": {
         ""protocol"": ""tcp"",
         ""field"": ""dport""
        }
       },
       ""right"": 9
      }
     },
     {
      ""counter"": {
       ""packets"": 0,
       ""bytes"": 0
      }
     }
    ]
   }
  },
  {
   ""rule"": {
    ""family"": ""inet"",
    ""table"": ""remoteops"",
    ""chain"": ""input_disabled"",
    ""handle"": 19,
    ""comment"": ""smtp-off: kept for later"",
    ""expr"": [
     {
      ""match"": {
       ""op"": ""=="",
       ""left"": {
        ""payload"": {
         ""protocol"": ""tcp"",
         ""field"": ""dport""
        }
       },
       ""right"": 25
      }
     },
     {
      ""accept"": null
     }
    ]
   }
  }
 ]
}";
    }
}
