// loadworker's side of examples/distributor: the master's locust-plugins Distributor "customers"
// hands each task the next customer from customers.csv (master.py); no customer goes to two
// users at once, across every worker. When the master answers None, next() throws StopUser.
import { constant, defineUser, distributor } from "loadworker";

interface Customer {
  customer_id: string;
  username: string;
  password: string;
}

const customers = distributor<Customer>("customers");

export const customerUser = defineUser({
  name: "CustomerUser",
  waitTime: constant(1),
  tasks: [
    {
      name: "order",
      fn: async ({ client }) => {
        const customer = await customers.next();
        const login = await client.post("/login", { json: { username: customer.username, password: customer.password }, name: "/login" });
        const { token } = login.json<{ token: string }>();
        await client.get(`/api/items?customer=${customer.customer_id}`, {
          name: "/api/items",
          headers: { Authorization: `Bearer ${token}` },
        });
      },
    },
  ],
});
