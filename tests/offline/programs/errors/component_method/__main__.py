from lib.network import Network

Network("net", {"cidr": "10.0.0.0/16"})
